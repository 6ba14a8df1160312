namespace LLMML.LanguageModels.Generation;

/// <summary>How <see cref="TokenGenerator"/> and <see cref="LanguageModel.Generate(IReadOnlyList{string}, GenerationOptions, CancellationToken)"/> pick tokens.</summary>
public sealed class GenerationOptions
{
    /// <summary>Upper bound on generated tokens per sequence.</summary>
    public int MaxNewTokens { get; set; } = 32;

    /// <summary>0 (default) = greedy argmax; otherwise logits are divided by it and a token is sampled.</summary>
    public double Temperature { get; set; }

    /// <summary>Sample only among the k most likely tokens; 0 = no limit.</summary>
    public int TopK { get; set; }

    /// <summary>Nucleus sampling: the smallest set of tokens whose probability reaches TopP; 1 = no limit.</summary>
    public double TopP { get; set; } = 1.0;

    /// <summary>Seed of the sampling generator; null = nondeterministic.</summary>
    public long? Seed { get; set; }

    /// <summary>Generation of a sequence stops once its decoded text contains one of these; the text is cut before it.</summary>
    public IReadOnlyList<string> StopStrings { get; set; } = [];

    /// <summary>Token ids that end a sequence (not included in the output). Null = the model's EOS id, if any.</summary>
    public IReadOnlyList<int>? StopTokenIds { get; set; }

    internal void Validate()
    {
        if (MaxNewTokens < 0) throw new ArgumentOutOfRangeException(nameof(MaxNewTokens), "MaxNewTokens must be ≥ 0.");
        if (!(Temperature >= 0 && double.IsFinite(Temperature)))
            throw new ArgumentOutOfRangeException(nameof(Temperature), Temperature, "Temperature must be a finite number ≥ 0.");
        if (TopK < 0) throw new ArgumentOutOfRangeException(nameof(TopK), "TopK must be ≥ 0.");
        if (!(TopP > 0 && TopP <= 1)) throw new ArgumentOutOfRangeException(nameof(TopP), "TopP must be in (0, 1].");
        // An empty stop string would match everywhere; silently dropping it instead hid that the default stop was replaced.
        if (StopStrings.Any(string.IsNullOrEmpty))
            throw new ArgumentException("A stop string is empty; stop strings must hold at least one character.", nameof(StopStrings));
    }
}
