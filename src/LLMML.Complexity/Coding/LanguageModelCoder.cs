using LLMML.LanguageModels.Generation;
using LLMML.LanguageModels.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace LLMML.Complexity.Coding;

/// <summary>
/// Arithmetic coding of token sequences under a language model's next-token distributions. A batch of rows is coded
/// position-major (all rows' token t, then all rows' token t + 1, …); each row starts from BOS and ends with EOS,
/// so the decoder knows where it stops.
/// </summary>
/// <remarks>
/// The decoder must rebuild exactly the encoder's frequency tables, i.e. bit-identical logits. Both run the model
/// on a [rows, <see cref="Width"/>] window with no attention mask (causal attention only, positions from 0) and read
/// column t: unknown later tokens are padding, which causal attention never lets column t see, and the kernels are
/// the same because the shapes are. That holds on one device with one library build and thread count — the usual
/// condition for arithmetic coding with a neural model; the round-trip tests check it.
/// </remarks>
public sealed class LanguageModelCoder
{
    private readonly LanguageModel _model;

    /// <param name="model">The model whose distributions code the tokens (not modified; run in eval mode).</param>
    /// <param name="width">Window width; default the model's context. Rows may have at most width − 1 tokens.</param>
    /// <param name="total">Frequency total of the quantised tables.</param>
    public LanguageModelCoder(LanguageModel model, int? width = null, ulong total = FrequencyTable.DefaultTotal)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        var context = (int)Math.Min(int.MaxValue, model.Config.MaxPositionEmbeddings);
        Width = width ?? context;
        if (Width < 2 || Width > context)
            throw new ArgumentOutOfRangeException(nameof(width), width, $"The coding window must lie in [2, {context}] (the model's context).");
        Total = total;
        StartId = model.BosId ?? throw new ArgumentException("The model has no BOS token to start coding from (config bos_token_id).", nameof(model));
        EndId = model.EndOfSequenceIds.Count > 0 ? model.EndOfSequenceIds[0]
            : throw new ArgumentException("The model has no EOS token to end coded sequences with (config eos_token_id).", nameof(model));
    }

    /// <summary>Columns of the window the model runs on.</summary>
    public int Width { get; }

    /// <summary>Frequency total of every table.</summary>
    public ulong Total { get; }

    /// <summary>The context every row starts from.</summary>
    public int StartId { get; }

    /// <summary>The token that ends every row.</summary>
    public int EndId { get; }

    /// <summary>Longest row (tokens before EOS) one window codes.</summary>
    public int MaxRowLength => Width - 1;

    /// <summary>
    /// The tokens of <paramref name="text"/> as a row: the tokenizer's ids without a leading BOS. Throws when the
    /// tokenizer cannot represent the text (its ids decode to something else, e.g. &lt;unk&gt;) or the text contains EOS.
    /// </summary>
    public int[] Tokens(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = _model.Encode(text).ToList();
        if (ids.Count > 0 && ids[0] == StartId && !text.StartsWith(_model.Decode([StartId]), StringComparison.Ordinal)) ids.RemoveAt(0);
        var back = _model.Decode(ids);
        if (!string.Equals(back, text, StringComparison.Ordinal))
            throw new ArgumentException($"The model's tokenizer cannot encode \"{Shorten(text)}\": it decodes back as \"{Shorten(back)}\".", nameof(text));
        if (ids.Contains(EndId)) throw new ArgumentException($"\"{Shorten(text)}\" contains the end-of-sequence token.", nameof(text));
        return ids.ToArray();
    }

    /// <summary>Codes <paramref name="rows"/> (each followed by EOS) into <paramref name="encoder"/>; returns Σ −log₂ p of the coded tokens.</summary>
    public double EncodeRows(ArithmeticEncoder encoder, IReadOnlyList<int[]> rows)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0) return 0;
        for (var r = 0; r < rows.Count; r++)
            if (rows[r].Length > MaxRowLength)
                throw new ArgumentException($"Row {r} has {rows[r].Length} tokens; a coding window of {Width} columns holds at most {MaxRowLength}.", nameof(rows));

        var vocabulary = (int)_model.Config.VocabularySize;
        // The (row, column) cells to code, position-major; cell (r, t) predicts coded token t of row r.
        var cells = new List<(int Row, int Column)>();
        for (var t = 0; t < Width; t++)
            for (var r = 0; r < rows.Count; r++)
                if (t <= rows[r].Length) cells.Add((r, t));
        var logits = Logits(rows, cells);   // [cells, V] flattened
        double ideal = 0;
        for (var c = 0; c < cells.Count; c++)
        {
            var (r, t) = cells[c];
            var symbol = t < rows[r].Length ? rows[r][t] : EndId;
            var table = FrequencyTable.FromLogits(logits.AsSpan(c * vocabulary, vocabulary), Total);
            ideal -= Math.Log2(table.Probability(symbol));
            encoder.Encode(table, symbol);
        }
        return ideal;
    }

    /// <summary>Decodes <paramref name="rowCount"/> rows coded by <see cref="EncodeRows"/> (EOS removed).</summary>
    /// <exception cref="InvalidDataException">A row reaches the window's end without EOS (the stream is not from this model).</exception>
    public int[][] DecodeRows(ArithmeticDecoder decoder, int rowCount)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        var rows = Enumerable.Range(0, rowCount).Select(_ => new List<int>()).ToArray();
        var open = Enumerable.Range(0, rowCount).ToList();
        var vocabulary = (int)_model.Config.VocabularySize;
        for (var t = 0; t < Width && open.Count > 0; t++)
        {
            var snapshot = rows.Select(r => r.ToArray()).ToArray();
            var logits = Logits(snapshot, open.Select(r => (r, t)).ToList());
            var stillOpen = new List<int>();
            for (var k = 0; k < open.Count; k++)
            {
                var symbol = decoder.Decode(FrequencyTable.FromLogits(logits.AsSpan(k * vocabulary, vocabulary), Total));
                if (symbol == EndId) continue;
                rows[open[k]].Add(symbol);
                stillOpen.Add(open[k]);
            }
            open = stillOpen;
        }
        if (open.Count > 0)
            throw new InvalidDataException($"Row {open[0]} did not end within the {Width}-column window: the bits were not coded by this model and window.");
        return rows.Select(r => r.ToArray()).ToArray();
    }

    /// <summary>One text, coded alone into a fresh stream.</summary>
    public CodedText EncodeText(string text)
    {
        var tokens = Tokens(text);
        var encoder = new ArithmeticEncoder();
        var ideal = EncodeRows(encoder, [tokens]);
        return new CodedText(encoder.Finish(), ideal, tokens.Length + 1);
    }

    /// <summary>The text <see cref="EncodeText"/> coded.</summary>
    public string DecodeText(CodedBits code) => _model.Decode(DecodeRows(new ArithmeticDecoder(code), 1)[0]);

    /// <summary>Logits (float32) of the requested cells of the [rows, Width] window, flattened [cells · V].</summary>
    private float[] Logits(IReadOnlyList<int[]> rows, IReadOnlyList<(int Row, int Column)> cells)
    {
        var lm = _model.Model;
        using var mode = ModuleMode.Evaluation(lm);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ids = new long[rows.Count * Width];
        Array.Fill(ids, _model.PadId);
        for (var r = 0; r < rows.Count; r++)
        {
            ids[r * Width] = StartId;
            for (var t = 0; t < rows[r].Length && t + 1 < Width; t++) ids[r * Width + t + 1] = rows[r][t];
        }
        var input = tensor(ids, [rows.Count, Width], device: _model.Device);
        var logits = lm.forward(input, null, null);                                           // [B, W, V]
        var flat = logits.reshape(rows.Count * Width, -1);                                      // [B·W, V]
        var where = tensor(cells.Select(c => (long)(c.Row * Width + c.Column)).ToArray(), device: _model.Device);
        return flat.index_select(0, where).to_type(ScalarType.Float32).cpu().data<float>().ToArray();   // [cells · V]
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";
}

/// <summary>A text's code: the bits, the ideal length Σ −log₂ p the bits approach, and the tokens coded (EOS included).</summary>
public sealed record CodedText(CodedBits Bits, double IdealBits, int TokenCount);
