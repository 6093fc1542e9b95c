import Foundation

/// The report files rendered from `Templates/`: `report.md`, `report.html` and the stylesheet.
public enum ReportDocuments {
    /// Template names (file names without `.mustache`), each rendered to a file of that name.
    public static let templateNames = ["report.md", "report.html"]
    /// Static files copied beside the rendered report.
    public static let staticFiles = ["style.css"]

    /// Renders every report template with `context` and copies the static files into `folder`.
    /// A template error names its file and line; a missing static file names its path.
    public static func write(context: JSONValue, templates: URL, into folder: URL) throws {
        let set = try TemplateSet(directory: templates)
        for name in templateNames {
            let text = try set.render(name, context: context)
            try FileTree.writeAtomically(Array(text.utf8), to: folder.appendingPathComponent(name))
        }
        for file in staticFiles {
            try FileTree.writeAtomically(try FileTree.bytes(of: templates.appendingPathComponent(file)),
                                         to: folder.appendingPathComponent(file))
        }
    }
}
