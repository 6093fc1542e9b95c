import Foundation
import Mustache

/// A template that cannot be used, naming the template file and the line.
public struct TemplateError: Error, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let column: Int
    public let message: String
    public var description: String { "\(file):\(line):\(column): \(message)" }
}

/// The report's Mustache templates (`*.mustache` in one folder), checked when loaded: every
/// tag well formed, sections balanced, every partial present. A template is named by its file
/// name without `.mustache` (`report.md.mustache` is `report.md`, a partial `{{> figure}}` is
/// `figure.mustache`). Markdown templates start with `{{%CONTENT_TYPE: TEXT}}` to turn HTML
/// escaping off, or `{{%CONTENT_TYPE: MARKDOWN}}` to escape only `|` (as `\|`, so a value cannot
/// split a Markdown table cell). The library renders partials with HTML escaping again.
public struct TemplateSet {
    private var library = MustacheLibrary()
    private var tags: [String: [MustacheTag]] = [:]
    private var files: [String: String] = [:]

    /// Templates given as (file name, text) pairs, e.g. from a test.
    public init(sources: [(file: String, text: String)]) throws {
        MustacheContentTypes.register(MarkdownContentType(), named: "MARKDOWN")
        for source in sources {
            let name = TemplateSet.name(ofFile: source.file)
            files[name] = source.file
            do {
                tags[name] = try MustacheTagScanner.tags(in: source.text)
            } catch let problem as MustacheTagProblem {
                throw TemplateError(file: source.file, line: problem.line, column: problem.column, message: problem.message)
            }
            do {
                library.register(try MustacheTemplate(string: source.text), named: name)
            } catch let error as MustacheTemplate.ParserError {
                throw TemplateError(file: source.file, line: error.context.lineNumber, column: error.context.columnNumber,
                                    message: "\(error.error) in '\(error.context.line)'")
            }
        }
        try checkPartials()
    }

    /// Every `*.mustache` file in `directory` (not recursive), in name order.
    public init(directory: URL) throws {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw FileError(path: directory.path, problem: "template folder cannot be listed")
        }
        let sources = try names.filter { $0.hasSuffix(".mustache") }.sorted().map { file in
            (file: directory.appendingPathComponent(file).path,
             text: String(decoding: try FileTree.bytes(of: directory.appendingPathComponent(file)), as: UTF8.self))
        }
        try self.init(sources: sources)
    }

    /// The names of the loaded templates.
    public var names: [String] { tags.keys.sorted() }

    /// Renders template `name` with `context` (a JSON object). Throws if the template is unknown
    /// or if a variable tag names a key that no object of the context holds.
    public func render(_ name: String, context: JSONValue) throws -> String {
        guard let template = library.getTemplate(named: name) else {
            throw TemplateError(file: name, line: 0, column: 0, message: "no template named '\(name)' (have: \(names.joined(separator: ", ")))")
        }
        guard case .object(let members) = context else {
            throw TemplateError(file: files[name] ?? name, line: 0, column: 0, message: "the context must be a JSON object")
        }
        let log = LookupLog()
        let text = template.render(ContextNode(members, log: log), library: library)
        try checkResolved(log, in: reachable(from: name))
        return text
    }

    private func checkPartials() throws {
        for (name, list) in tags.sorted(by: { $0.key < $1.key }) {
            for tag in list where tag.kind == .partial && library.getTemplate(named: tag.name) == nil {
                throw TemplateError(file: files[name] ?? name, line: tag.line, column: tag.column,
                                    message: "partial '\(tag.name)' not found (expected a file '\(tag.name).mustache' beside it)")
            }
        }
    }

    /// `name` and the partials it uses, directly or through other partials.
    private func reachable(from name: String) -> [String] {
        var seen: [String] = [], queue = [name]
        while let next = queue.popLast() {
            guard !seen.contains(next) else { continue }
            seen.append(next)
            queue += (tags[next] ?? []).filter { $0.kind == .partial }.map(\.name)
        }
        return seen.sorted()
    }

    /// A variable is unresolved when every lookup of one of its name's parts failed.
    private func checkResolved(_ log: LookupLog, in names: [String]) throws {
        for name in names {
            for tag in tags[name] ?? [] where tag.kind == .variable || tag.kind == .unescaped {
                guard tag.name != "." else { continue }
                for part in tag.name.split(separator: ".").map(String.init)
                where log.asked.contains(part) && !log.found.contains(part) {
                    throw TemplateError(file: files[name] ?? name, line: tag.line, column: tag.column,
                                        message: "'{{\(tag.name)}}' is not in the context")
                }
            }
        }
    }

    private static func name(ofFile file: String) -> String {
        let base = URL(fileURLWithPath: file).lastPathComponent
        return base.hasSuffix(".mustache") ? String(base.dropLast(".mustache".count)) : base
    }
}

/// Markdown output: values are written as they are, except `|`, which would end a table cell.
struct MarkdownContentType: MustacheContentType {
    func escapeText(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|")
    }
}
