extension Parser {
    /// Parses whole lines cut from a longer policy, as `parse(_:file:firstLine:)` does, and says whether
    /// they end between statements.
    ///
    /// `isClosed` is false when the last token before the final line ends is `,` or `->`: alone, such text
    /// can parse without an error (the list just stops), but in the file the statement would go on into
    /// the next lines. Text that parses without a diagnostic and is closed means to the parser exactly
    /// what it means inside the file, because no token spans a line end and the parser looks ahead only
    /// within a line.
    public static func parseLines(_ text: String, file: String, firstLine: Int)
        -> (syntax: PolicySyntax, diagnostics: [Diagnostic], isClosed: Bool) {
        let (tokens, lexical) = Lexer.tokenize(text, file: file, firstLine: firstLine)
        let last = tokens.last { $0.kind != .newline && $0.kind != .end }
        let isClosed = last?.kind != .comma && last?.kind != .arrow
        var parser = Parser(tokens: tokens, file: file)
        let syntax = parser.parsePolicy()
        return (syntax, lexical + parser.diagnostics, isClosed)
    }
}
