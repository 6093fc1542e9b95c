/// One Mustache tag of a template, with where it starts (1-based line and column).
struct MustacheTag: Equatable {
    enum Kind: Equatable {
        case variable, unescaped, section, inverted, close, partial, comment, pragma, parent, block, delimiters
    }
    let kind: Kind
    let name: String
    let line: Int
    let column: Int
}

/// A template problem at a known place.
struct MustacheTagProblem: Error {
    let message: String
    let line: Int
    let column: Int
}

/// A small pre-parse of a template's tags, independent of the renderer, so errors can name their
/// line: unclosed tags, empty names, sections closed by the wrong name or never closed.
/// Set-delimiter tags are reported as unsupported (the report templates do not need them).
enum MustacheTagScanner {
    static func tags(in text: String) throws -> [MustacheTag] {
        let chars = Array(text)
        var tags: [MustacheTag] = []
        var open: [MustacheTag] = []
        var i = 0, line = 1, column = 1
        func advance(_ n: Int) {
            for _ in 0..<n {
                if chars[i] == "\n" { line += 1; column = 1 } else { column += 1 }
                i += 1
            }
        }
        func starts(_ s: String, at k: Int) -> Bool {
            let p = Array(s)
            return k + p.count <= chars.count && Array(chars[k..<k + p.count]) == p
        }
        while i < chars.count {
            guard starts("{{", at: i) else { advance(1); continue }
            let (tagLine, tagColumn) = (line, column)
            let triple = starts("{{{", at: i)
            let closer = triple ? "}}}" : "}}"
            var end = i + (triple ? 3 : 2)
            while end < chars.count, !starts(closer, at: end) { end += 1 }
            guard end < chars.count else {
                throw MustacheTagProblem(message: "tag '\(String(chars[i..<min(i + 20, chars.count)]))...' is never closed by '\(closer)'", line: tagLine, column: tagColumn)
            }
            let body = String(chars[(i + (triple ? 3 : 2))..<end]).trimmingSpaces()
            let tag = try classify(body, triple: triple, line: tagLine, column: tagColumn)
            switch tag.kind {
            case .section, .inverted, .parent, .block: open.append(tag)
            case .close:
                guard let last = open.popLast() else {
                    throw MustacheTagProblem(message: "'{{/\(tag.name)}}' closes a section that was never opened", line: tagLine, column: tagColumn)
                }
                guard last.name == tag.name else {
                    throw MustacheTagProblem(message: "'{{/\(tag.name)}}' closes the section '\(last.name)' opened at line \(last.line)", line: tagLine, column: tagColumn)
                }
            default: break
            }
            tags.append(tag)
            advance(end + closer.count - i)
        }
        if let unclosed = open.last {
            throw MustacheTagProblem(message: "section '\(unclosed.name)' is never closed", line: unclosed.line, column: unclosed.column)
        }
        return tags
    }

    private static func classify(_ body: String, triple: Bool, line: Int, column: Int) throws -> MustacheTag {
        let sigils: [Character: MustacheTag.Kind] = [
            "#": .section, "^": .inverted, "/": .close, ">": .partial, "!": .comment,
            "%": .pragma, "<": .parent, "$": .block, "&": .unescaped, "=": .delimiters,
        ]
        var kind: MustacheTag.Kind = triple ? .unescaped : .variable
        var name = body
        if !triple, let first = body.first, let sigil = sigils[first] {
            kind = sigil
            name = String(body.dropFirst()).trimmingSpaces()
        }
        if kind == .delimiters {
            throw MustacheTagProblem(message: "set-delimiter tags are not supported in the report templates", line: line, column: column)
        }
        if kind != .comment, name.isEmpty {
            throw MustacheTagProblem(message: "tag '{{\(body)}}' has no name", line: line, column: column)
        }
        if kind != .comment, kind != .pragma, name.contains(where: { $0 == " " || $0 == "{" || $0 == "}" }) {
            throw MustacheTagProblem(message: "tag name '\(name)' contains a space or brace", line: line, column: column)
        }
        return MustacheTag(kind: kind, name: name, line: line, column: column)
    }
}

extension String {
    func trimmingSpaces() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
