/// Text a server chose (a body, a problem's detail) made safe to show on a terminal: control characters
/// (which could move the cursor or recolour the screen) are written as `\u{…}`, and long text is cut.
enum ServerText {
    static let limit = 300

    static func printable(_ text: String, limit: Int = ServerText.limit) -> String {
        var result = ""
        var count = 0
        for scalar in text.unicodeScalars {
            if count >= limit { return result + "…" }
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .privateUse, .surrogate, .unassigned:
                result += "\\u{\(String(scalar.value, radix: 16))}"
            default:
                result.unicodeScalars.append(scalar)
            }
            count += 1
        }
        return result
    }
}
