using LLMML.Rasp.Language;

namespace LLMML.Rasp.Compiler;

/// <summary>What to compile a program for.</summary>
public sealed class RaspCompilerOptions
{
    /// <summary>The input vocabulary (values of `tokens`).</summary>
    public required IReadOnlyList<RaspValue> Vocabulary { get; init; }

    /// <summary>Maximum input length, not counting BOS.</summary>
    public required int MaxLength { get; init; }

    /// <summary>Compile for causal evaluation (every selector ANDed with key ≤ query).</summary>
    public bool Causal { get; init; }

    /// <summary>Softmax coldness c: a matching key scores c, BOS c/2.</summary>
    public double AttentionColdness { get; init; } = 100;

    /// <summary>
    /// Lower bound of the slope L of discretising MLP steps. The compiler raises it per threshold
    /// until the step is exact for the value set (tracr uses one fixed value and can be wrong).
    /// </summary>
    public double MlpExactness { get; init; } = 100;

    /// <summary>
    /// Fuse a Map into the MLP that produces its input when nothing else reads that input
    /// (Map∘Map, Map∘SequenceMap, Map∘SelectorWidth). Saves layers and residual width.
    /// </summary>
    public bool FuseMaps { get; init; } = true;

    /// <summary>
    /// Compile a categorical SequenceMap whose result depends only on x + y or x − y of integer
    /// inputs with a discretising MLP (2 units per change point) instead of |A|·|B| AND units.
    /// </summary>
    public bool LinearSequenceMapDetection { get; init; } = true;

    /// <summary>Token name of the beginning-of-sequence marker.</summary>
    public string BosToken { get; init; } = "BOS";

    /// <summary>Token name of padding (embedded as the zero vector, masked as a key).</summary>
    public string PadToken { get; init; } = "PAD";

    /// <summary>Largest value set a numerical Aggregate may have before compilation gives up.</summary>
    public int MaxValueSetSize { get; init; } = 20000;
}
