using LLMML.Rasp.Language;
using static TorchSharp.torch;

namespace LLMML.Rasp.Torch;

/// <summary>
/// Maps LM tokens to compiled-vocabulary tokens for injection (METHODS.md §3): a token whose text,
/// trimmed, is a compiled token maps to it; explicit overrides come first (e.g. "Answer:" → ":");
/// everything else maps to the filler. The compiled input gets a BOS in front, so LM position t
/// corresponds to compiled position t + 1.
/// </summary>
public sealed class TokenAlignment
{
    private readonly CompiledModel _model;
    private readonly IReadOnlyDictionary<string, RaspValue> _overrides;

    public TokenAlignment(CompiledModel model, RaspValue filler, IReadOnlyDictionary<string, RaspValue>? overrides = null)
    {
        _model = model;
        Filler = filler;
        _overrides = overrides ?? new Dictionary<string, RaspValue>();
        model.TokenId(filler); // throws naming the token if the filler is not in the vocabulary
        foreach (var (text, v) in _overrides) model.TokenId(v);
    }

    public RaspValue Filler { get; }

    /// <summary>The compiled token for one LM token's text.</summary>
    public RaspValue Align(string lmTokenText)
    {
        if (_overrides.TryGetValue(lmTokenText, out var v)) return v;
        var trimmed = lmTokenText.Trim();
        if (_overrides.TryGetValue(trimmed, out v)) return v;
        foreach (var token in _model.Config.Vocabulary)
            if (token.ToString() == trimmed) return token;
        return Filler;
    }

    /// <summary>The compiled input for one sequence of LM token texts.</summary>
    public RaspValue[] AlignSequence(IReadOnlyList<string> lmTokens) => lmTokens.Select(Align).ToArray();

    /// <summary>Compiled inputs for a batch of LM token texts (one list per sequence).</summary>
    public IReadOnlyList<IReadOnlyList<RaspValue>> AlignBatch(IReadOnlyList<IReadOnlyList<string>> lmTokens) =>
        lmTokens.Select(seq => (IReadOnlyList<RaspValue>)AlignSequence(seq)).ToList();

    /// <summary>Compiled token ids [B, T + 1] (BOS first, PAD-padded) for a batch of LM token texts.</summary>
    public Tensor Encode(IReadOnlyList<IReadOnlyList<string>> lmTokens) => _model.Encode(AlignBatch(lmTokens));
}
