extension TableDiff {
    /// The least one kernel transaction must do to turn the old table into the new one. `apply` does
    /// exactly this, and `diff` reports it, so that the two never disagree.
    public enum Action: String, Sendable, Hashable {
        /// The tables are the same: nothing is sent, nothing committed.
        case none
        /// Only set elements differ: one batch adds and deletes just those intervals.
        case elements
        /// Rules differ only in their comments (flows moved to other lines), and sets, if at all, only in
        /// elements: one batch replaces each such rule in place, by its handle, and changes those elements.
        case comments
        /// Anything else differs: the table is replaced as a whole.
        case replace
        /// There was no table: it is created.
        case create
        /// There is no new table: the old one goes (a zone left the policy).
        case delete
    }

    public var action: Action {
        switch existence {
        case .created: .create
        case .deleted: .delete
        case .unchanged where isEmpty: .none
        // An element batch pairs the sets of both tables in order (see NetlinkConnection).
        case .unchanged where onlyElementsChanged && sameOrder: .elements
        case .unchanged where onlyCommentsAndElementsChanged && sameOrder: .comments
        case .unchanged: .replace
        }
    }
}
