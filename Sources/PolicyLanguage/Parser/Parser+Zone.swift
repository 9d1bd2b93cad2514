extension Parser {
    /// `zone NAME ITEMS [except ITEMS]`
    mutating func parseZone() -> ZoneDeclaration? {
        advance()
        guard let name = parseName("a zone name") else {
            skipLine()
            return nil
        }
        var hadErrors = false
        var items: [ZoneDeclaration.Item] = []
        // 100k items grown by doubling moved every item about twice.
        items.reserveCapacity(estimatedItemCount())
        var exclusions: [ZoneDeclaration.Item] = []
        if !parseZoneItems(into: &items, hadErrors: &hadErrors) {
            skipLine()
            return ZoneDeclaration(name: name, items: items, exclusions: [], hadErrors: true)
        }
        if current.isKeyword("except") {
            advance()
            let complete = parseZoneItems(into: &exclusions, hadErrors: &hadErrors)
            if complete && exclusions.isEmpty && !hadErrors {
                report(.expected("an address or zone name after 'except'", found: current), at: current)
                hadErrors = true
            }
            if !complete {
                skipLine()
                return ZoneDeclaration(name: name, items: items, exclusions: exclusions, hadErrors: true)
            }
        }
        finishStatement()
        return ZoneDeclaration(name: name, items: items, exclusions: exclusions, hadErrors: hadErrors)
    }

    /// Reads a comma-separated list of zone items up to the line end or `except`. An invalid literal is reported
    /// and left out (`hadErrors`); returns false when the line makes no sense from here on.
    private mutating func parseZoneItems(into items: inout [ZoneDeclaration.Item], hadErrors: inout Bool) -> Bool {
        while true {
            switch current.kind {
            case .newline, .end:
                return true
            case .identifier where current.text == "except":
                return true
            case .identifier where PolicySyntax.reservedWords.contains(current.text):
                report(.reservedWordInZone(current.text), at: current)
                advance()
                hadErrors = true
            case .identifier:
                let token = advance()
                items.append(.name(NameSyntax(token.text, at: token.location)))
            case .address:
                // The fast path reads the token where it lies; only a literal it declines is copied out.
                if let literal = validAddressLiteral(at: position) {
                    position += 1
                    items.append(.address(literal))
                } else if let literal = parseAddressLiteral(advance()) {
                    items.append(.address(literal))
                } else {
                    hadErrors = true
                }
            default:
                report(.expected("an address, prefix, range or zone name", found: current), at: current)
                hadErrors = true
                return false
            }
            if parseListSeparator() { continue }
            // Two items side by side: most likely a forgotten comma, so say so and read on as if it were there.
            if current.kind == .address || (current.kind == .identifier && current.text != "except") {
                reportMissingComma()
                hadErrors = true
                continue
            }
            return true
        }
    }

    /// About how many items the zone's list holds: one more than its commas up to the line end that ends the
    /// statement. Only a capacity hint, so it need not know about `except`, errors or anything else.
    private func estimatedItemCount() -> Int {
        var commas = 0
        for index in position..<tokens.count {
            switch tokens[index].kind {
            case .comma: commas += 1
            case .newline where index == position || tokens[index - 1].kind != .comma: return commas + 1
            default: break
            }
        }
        return commas + 1
    }
}
