import Certificates
import PolicyLanguage
import PolicyModel

/// A policy's text cut as the incremental loader cuts it (`StatementSplitter`), each piece with the SHA-256
/// of its bytes: two texts whose pieces start on the same lines and have the same digests are the same text
/// but for the pieces whose digests differ.
struct PolicyPieces: Equatable {
    struct Piece: Equatable {
        var firstLine: Int
        var isZone: Bool
        /// Lowercase hexadecimal SHA-256 of the piece's bytes.
        var digest: String
        var bytes: Range<Int>
    }

    var pieces: [Piece]

    /// Nil when the text cannot be cut (not plain ASCII with `\n` line ends).
    init?(_ text: [UInt8]) {
        guard let cut = text.withUnsafeBufferPointer({
            StatementSplitter.split($0, minimumZoneBytes: IncrementalLoader.minimumZoneBytes)
        }) else { return nil }
        self.init(text, cut: cut)
    }

    /// The pieces of `text` as cut by `cut`.
    init(_ text: [UInt8], cut: [StatementSplitter.Piece]) {
        pieces = text.withUnsafeBytes { raw in
            cut.map { piece in
                Piece(firstLine: piece.firstLine, isZone: piece.isZone,
                      digest: ApplyInputs.hexadecimal(sha256(UnsafeRawBufferPointer(rebasing: raw[piece.bytes]))),
                      bytes: piece.bytes)
            }
        }
    }
}
