// The command-line tests arrive in the next commit.
import XCTest
