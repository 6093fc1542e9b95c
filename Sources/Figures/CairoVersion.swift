import CCairo

/// The Cairo library's version, for the report's provenance.
public func cairoVersion() -> String { String(cString: cairo_version_string()) }
