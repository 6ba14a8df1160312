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

    /// <summary>
    /// Largest assembled model, in weights, before compilation refuses the program (naming the node
    /// that passes the limit). The default, 100 million (400 MB of float32), is above every library
    /// program at N = 40; raise it for bigger ones.
    /// </summary>
    public long MaxParameters { get; init; } = 100_000_000;

    /// <summary>Throws on options no program can be compiled for.</summary>
    internal void Validate()
    {
        if (MaxLength < 1) throw new ArgumentOutOfRangeException(nameof(MaxLength), MaxLength, "MaxLength must be at least 1.");
        if (MaxParameters < 1) throw new ArgumentOutOfRangeException(nameof(MaxParameters), MaxParameters, "MaxParameters must be at least 1.");
        if (Vocabulary.Count == 0) throw new ArgumentException("The vocabulary is empty.", nameof(Vocabulary));
        if (Vocabulary.Distinct().Count() != Vocabulary.Count) throw new ArgumentException("The vocabulary has duplicate tokens.", nameof(Vocabulary));
        if (Vocabulary.Any(v => v.IsNone || v == BosToken || v == PadToken))
            throw new ArgumentException($"The vocabulary must not contain None, '{BosToken}' or '{PadToken}'.", nameof(Vocabulary));
    }
}
