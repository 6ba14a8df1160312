using System.Text;

namespace LLMML.LanguageModels.Tests.Tokenization;

/// <summary>
/// Writes a SentencePiece <c>ModelProto</c> (sentencepiece_model.proto) by hand: pieces (field 1), trainer spec
/// (field 2) and normalizer spec (field 3), so tests can load a real <c>tokenizer.model</c> without downloading one.
/// </summary>
internal sealed class SentencePieceModelBuilder
{
    public const int Normal = 1, Unknown = 2, Control = 3;

    private readonly List<(string Piece, float Score, int Type)> _pieces = [];

    public SentencePieceModelBuilder Piece(string piece, float score, int type = Normal)
    {
        _pieces.Add((piece, score, type));
        return this;
    }

    /// <summary>A BPE model (model_type 2) with unk=0, bos=1, eos=2, no pad, no byte fallback; whitespace escaped as ▁ with a dummy prefix.</summary>
    public byte[] BuildBpe()
    {
        var model = new Proto();
        foreach (var (piece, score, type) in _pieces)
            model.Message(1, new Proto().String(1, piece).Float(2, score).Varint(3, (ulong)type));
        model.Message(2, new Proto()
            .Varint(3, 2) // model_type = BPE
            .Varint(4, (ulong)_pieces.Count) // vocab_size
            .Varint(35, 0) // byte_fallback = false
            .Varint(40, 0).Varint(41, 1).Varint(42, 2) // unk, bos, eos ids
            .Varint(43, unchecked((ulong)-1L)) // pad_id = -1 (none)
            .String(45, "<unk>").String(46, "<s>").String(47, "</s>"));
        model.Message(3, new Proto()
            .String(1, "identity")
            .Varint(3, 1) // add_dummy_prefix
            .Varint(4, 0) // remove_extra_whitespaces
            .Varint(5, 1)); // escape_whitespaces
        return model.ToArray();
    }

    private sealed class Proto
    {
        private readonly MemoryStream _bytes = new();

        public Proto Varint(int field, ulong value)
        {
            Key(field, 0);
            Raw(value);
            return this;
        }

        public Proto Float(int field, float value)
        {
            Key(field, 5);
            _bytes.Write(BitConverter.GetBytes(value)); // little-endian on every .NET platform we run on
            return this;
        }

        public Proto String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

        public Proto Message(int field, Proto message) => Bytes(field, message.ToArray());

        public byte[] ToArray() => _bytes.ToArray();

        private Proto Bytes(int field, byte[] value)
        {
            Key(field, 2);
            Raw((ulong)value.Length);
            _bytes.Write(value);
            return this;
        }

        private void Key(int field, int wireType) => Raw((ulong)((field << 3) | wireType));

        private void Raw(ulong value)
        {
            while (value >= 0x80)
            {
                _bytes.WriteByte((byte)(value | 0x80));
                value >>= 7;
            }

            _bytes.WriteByte((byte)value);
        }
    }
}
