extension Parser {
    /// `acme ZONE { SETTINGS }` or `trust ZONE { SETTINGS }`: the header, then one setting a line up to `}`.
    /// A line that can only start a statement (a keyword other than a setting's, a flow's `->`, another block's
    /// `{`) means the `}` was forgotten: that is reported at the `{` and the line is left for the statement loop.
    mutating func parseBlock() -> BlockDeclaration? {
        let keyword = advance()
        guard let zone = parseName("a zone name after '\(keyword.text)'") else {
            skipBlock()
            return nil
        }
        guard current.kind == .leftBrace else {
            report(.expected("'{' after '\(keyword.text) \(zone.text)'", found: current), at: current)
            skipBlock()
            return nil
        }
        let brace = advance()
        var settings: [SettingSyntax] = []
        while true {
            skipNewlines()
            switch current.kind {
            case .rightBrace:
                advance()
                finishStatement()
                return BlockDeclaration(at: keyword.location, zone: zone, settings: settings)
            case .end:
                report(.unclosedBlock(keyword.text), at: brace)
                return BlockDeclaration(at: keyword.location, zone: zone, settings: settings)
            case .identifier where startsStatement():
                report(.unclosedBlock(keyword.text), at: brace)
                return BlockDeclaration(at: keyword.location, zone: zone, settings: settings)
            case .identifier:
                if let setting = parseSetting() { settings.append(setting) }
            default:
                report(.expected("a setting name or '}'", found: current), at: current)
                skipLine(insideBlock: true)
            }
        }
    }

    /// `NAME VALUE [,] VALUE ...` up to the line end or `}`.
    private mutating func parseSetting() -> SettingSyntax? {
        let nameToken = advance()
        var values: [SettingSyntax.Value] = []
        while true {
            switch current.kind {
            case .newline, .end, .rightBrace:
                guard !values.isEmpty else {
                    report(.settingWithoutValue(nameToken.text), at: nameToken)
                    finishStatement(insideBlock: true)
                    return nil
                }
                finishStatement(insideBlock: true)
                return SettingSyntax(name: NameSyntax(nameToken.text, at: nameToken.location), values: values)
            case .comma:
                advance()
            case .leftBrace, .arrow:
                report(.expected("a value for '\(nameToken.text)'", found: current), at: current)
                skipLine(insideBlock: true)
                return nil
            default:
                let token = advance()
                values.append(SettingSyntax.Value(token.text, isQuoted: token.kind == .string, at: token.location,
                                                  length: token.length))
            }
        }
    }

    /// Whether the current line inside a block is really a new statement.
    private func startsStatement() -> Bool {
        ["zone", "service", "acme", "expect"].contains(current.text) || lineContains(.arrow)
            || lineContains(.leftBrace)
    }

    /// After a broken block header: skips the header line and, if a body follows, the body too.
    private mutating func skipBlock() {
        var depth = 0
        while current.kind != .end {
            let token = advance()
            if token.kind == .leftBrace { depth += 1 }
            if token.kind == .rightBrace { depth -= 1 }
            if depth <= 0 && token.kind == .newline && current.kind != .leftBrace { return }
        }
    }
}
