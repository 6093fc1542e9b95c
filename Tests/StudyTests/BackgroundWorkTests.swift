import Foundation
import XCTest
@testable import Study

private struct Broken: Error {}

final class BackgroundWorkTests: XCTestCase {
    func testResultReturnsTheComputationsValue() throws {
        let work = BackgroundWork { 6 * 7 }
        XCTAssertEqual(try work.result(), 42)
        XCTAssertEqual(try work.result(), 42, "a second call returns the same value")
    }

    func testRethrowIfFailedReturnsAtOnceWhileTheComputationRuns() throws {
        let release = DispatchSemaphore(value: 0)
        let work = BackgroundWork { () throws -> Int in
            release.wait()
            throw Broken()
        }
        XCTAssertNoThrow(try work.rethrowIfFailed(), "still running: nothing to report yet")
        release.signal()
        XCTAssertThrowsError(try work.result()) { XCTAssertTrue($0 is Broken) }
    }

    func testRethrowIfFailedThrowsTheErrorOfAnEndedComputation() throws {
        let work = BackgroundWork { () throws -> Int in throw Broken() }
        XCTAssertThrowsError(try work.result())
        XCTAssertThrowsError(try work.rethrowIfFailed()) { XCTAssertTrue($0 is Broken) }
        XCTAssertThrowsError(try work.rethrowIfFailed(), "and again on a later call")
    }

    func testRethrowIfFailedIsSilentOnceTheComputationSucceeded() throws {
        let work = BackgroundWork { 1 }
        _ = try work.result()
        XCTAssertNoThrow(try work.rethrowIfFailed())
        XCTAssertEqual(try work.result(), 1)
    }
}
