/// Recursive-descent parser from tokens to a `PolicySyntax`, recovering at line ends so that one run reports
/// every error in the file.
///
/// Statements are line-oriented: a newline ends one, except after `,` or `->`, where a list or flow goes on.
/// After an error the parser skips to the end of the line (or of the block) and carries on; declarations that
/// were only partly understood are still recorded, marked `hadErrors`, so that the checker knows their names
/// and does not pile consequential errors on top.
public struct Parser {
    var tokens: [Token]
    var position = 0
    let file: String
    public internal(set) var diagnostics: [Diagnostic] = []
    /// False only in tests, which compare the fast paths with the general ones they stand in for.
    var usesFastPaths = true

    public init(tokens: [Token], file: String) {
        precondition(tokens.last?.kind == .end, "the token stream must end with .end")
        self.tokens = tokens
        self.file = file
    }

    /// Lexes and parses `text`, which starts on line `firstLine` of `file`; the diagnostics of both stages
    /// come back in source order.
    public static func parse(_ text: String, file: String, firstLine: Int = 1)
        -> (syntax: PolicySyntax, diagnostics: [Diagnostic]) {
        let (tokens, lexical) = Lexer.tokenize(text, file: file, firstLine: firstLine)
        var parser = Parser(tokens: tokens, file: file)
        let syntax = parser.parsePolicy()
        return (syntax, Diagnostic.inSourceOrder(lexical + parser.diagnostics))
    }

    /// Parses every statement up to the end of the tokens.
    public mutating func parsePolicy() -> PolicySyntax {
        var declarations: [PolicySyntax.Declaration] = []
        while current.kind != .end {
            if current.kind == .newline {
                advance()
            } else if let declaration = parseStatement() {
                declarations.append(declaration)
            }
        }
        return PolicySyntax(file: file, declarations: declarations)
    }

    mutating func parseStatement() -> PolicySyntax.Declaration? {
        switch current.kind {
        case .identifier where current.text == "zone": return parseZone().map { .zone($0) }
        case .identifier where current.text == "service": return parseService().map { .service($0) }
        case .identifier where current.text == "acme": return parseBlock().map { .acme($0) }
        case .identifier where current.text == "trust": return parseBlock().map { .trust($0) }
        case .identifier where current.text == "expect": return parseExpect().map { .expect($0) }
        case .identifier, .address: return parseFlow().map { .flow($0) }
        default:
            report(.expected("a statement", found: current), at: current)
            skipLine()
            return nil
        }
    }

    // MARK: - Token stream

    var current: Token { tokens[position] }

    func peek(_ offset: Int = 1) -> Token { tokens[min(position + offset, tokens.count - 1)] }

    // Inlined so that where the token goes unused (most calls), so does its copy: two retains and releases.
    @discardableResult @inline(__always)
    mutating func advance() -> Token {
        let token = current
        if token.kind != .end { position += 1 }
        return token
    }

    /// Skips line ends, where a statement may go on to the next line (after `,` and `->`).
    mutating func skipNewlines() {
        while current.kind == .newline { advance() }
    }

    /// Skips the rest of a broken statement, including its newline; stops before a `}` when inside a block.
    mutating func skipLine(insideBlock: Bool = false) {
        while current.kind != .end && current.kind != .newline {
            if insideBlock && current.kind == .rightBrace { return }
            advance()
        }
        advance()
    }

    /// True when a token of `kind` comes before the end of the current line.
    func lineContains(_ kind: Token.Kind) -> Bool {
        var index = position
        while tokens[index].kind != .newline && tokens[index].kind != .end {
            if tokens[index].kind == kind { return true }
            index += 1
        }
        return false
    }

    /// Ends a statement: the line must end here. Anything else is reported and skipped.
    mutating func finishStatement(insideBlock: Bool = false) {
        switch current.kind {
        case .newline: advance()
        case .end: break
        case .rightBrace where insideBlock: break
        default:
            report(.expected("end of line", found: current), at: current)
            skipLine(insideBlock: insideBlock)
        }
    }

    // MARK: - Reporting

    mutating func report(_ message: DiagnosticMessage, at token: Token, fixIt: Diagnostic.FixIt? = nil) {
        report(message, at: token.location, length: token.length, fixIt: fixIt)
    }

    mutating func report(_ message: DiagnosticMessage, at location: SourceLocation, length: Int,
                         fixIt: Diagnostic.FixIt? = nil) {
        // Reported in source order, so the first ones are the ones shown (see `Diagnostic.reportLimit`).
        guard diagnostics.count <= Diagnostic.reportLimit else { return }
        diagnostics.append(Diagnostic(message, at: location, length: length, fixIt: fixIt))
    }

    /// The location `offset` characters into a token, for errors about part of a literal.
    func location(in token: Token, offset: Int) -> SourceLocation {
        SourceLocation(file: file, line: token.location.line, column: token.location.column + offset)
    }
}
