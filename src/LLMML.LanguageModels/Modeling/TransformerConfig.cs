using LLMML.LanguageModels.Checkpoints;

namespace LLMML.LanguageModels.Modeling;

/// <summary>
/// Hyper-parameters of a <see cref="CausalLanguageModel"/>, family-neutral. <see cref="Load"/> / <see cref="Save"/>
/// read and write Hugging Face <c>config.json</c> (model_type gpt2, llama, mistral, qwen2, phi).
/// Which norm, position scheme, MLP and block shape are used follows from <see cref="Family"/>.
/// </summary>
public sealed record TransformerConfig
{
    /// <summary>Hugging Face model_type: "gpt2", "llama", "mistral", "qwen2" or "phi".</summary>
    public string ModelType { get; init; } = "gpt2";

    public ModelFamily Family => FamilyOf(ModelType);

    public long VocabularySize { get; init; }
    public long HiddenSize { get; init; }
    public int NumLayers { get; init; }
    public int NumHeads { get; init; }

    /// <summary>Key/value heads; fewer than <see cref="NumHeads"/> means grouped-query attention. 0 = same as NumHeads.</summary>
    public int NumKeyValueHeads { get; init; }

    /// <summary>Per-head width; 0 = HiddenSize / NumHeads.</summary>
    public long HeadDimension { get; init; }

    public long IntermediateSize { get; init; }
    public long MaxPositionEmbeddings { get; init; } = 1024;
    public double NormEpsilon { get; init; } = 1e-5;
    public double RopeTheta { get; init; } = 10000.0;

    /// <summary>Fraction of each head's dimensions that are rotated (Phi); 1 for LLaMA, unused for GPT-2.</summary>
    public double PartialRotaryFactor { get; init; } = 1.0;

    /// <summary>HF activation name: gelu_new, gelu_pytorch_tanh, gelu, silu, relu.</summary>
    public string Activation { get; init; } = "gelu_new";

    public bool TieWordEmbeddings { get; init; } = true;

    /// <summary>Biases on the q/k/v projections.</summary>
    public bool QkvBias { get; init; }

    /// <summary>Bias on the attention output projection.</summary>
    public bool OutputBias { get; init; }

    /// <summary>Biases on the MLP projections.</summary>
    public bool MlpBias { get; init; }

    /// <summary>Bias on the untied lm_head (Phi).</summary>
    public bool LmHeadBias { get; init; }

    public long? BosTokenId { get; init; }
    public long? EosTokenId { get; init; }
    public long? PadTokenId { get; init; }

    public int KeyValueHeads => NumKeyValueHeads == 0 ? NumHeads : NumKeyValueHeads;
    public long HeadDim => HeadDimension == 0 ? HiddenSize / NumHeads : HeadDimension;

    /// <summary>How many leading dimensions of each head rotary rotates (even); 0 for learned positions.</summary>
    public long RotaryDimensions => Family == ModelFamily.Gpt2 ? 0 : (long)(HeadDim * PartialRotaryFactor) / 2 * 2;

    internal bool UsesRmsNorm => Family == ModelFamily.Llama;
    internal bool UsesGatedMlp => Family == ModelFamily.Llama;
    internal bool UsesParallelBlock => Family == ModelFamily.Phi;
    internal bool UsesLearnedPositions => Family == ModelFamily.Gpt2;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first inconsistent field.</summary>
    public TransformerConfig Validate()
    {
        _ = Family;
        Require(VocabularySize > 0, "vocabulary size must be positive");
        // Token ids are 32-bit everywhere (tokenizers, generation), so a larger vocabulary could not be addressed.
        Require(VocabularySize <= int.MaxValue, $"vocabulary size {VocabularySize} exceeds the 32-bit token id range");
        foreach (var (id, name) in new[] { (BosTokenId, "bos_token_id"), (EosTokenId, "eos_token_id") })
            Require(id is null or (>= 0 and <= int.MaxValue), $"{name} {id} is not a valid token id");
        Require(PadTokenId is null or (>= int.MinValue and <= int.MaxValue), $"pad_token_id {PadTokenId} is not a valid token id");
        Require(HiddenSize > 0, "hidden size must be positive");
        Require(NumLayers > 0, "number of layers must be positive");
        Require(NumHeads > 0, "number of attention heads must be positive");
        Require(IntermediateSize > 0, "intermediate (MLP) size must be positive");
        Require(HeadDimension != 0 || HiddenSize % NumHeads == 0, $"hidden size {HiddenSize} is not divisible by {NumHeads} heads");
        Require(NumHeads % KeyValueHeads == 0, $"{NumHeads} attention heads are not a multiple of {KeyValueHeads} key/value heads");
        Require(Family != ModelFamily.Gpt2 || (KeyValueHeads == NumHeads && HeadDim * NumHeads == HiddenSize),
            "GPT-2 has no grouped-query attention and head_dim * n_head must equal n_embd");
        Require(Family == ModelFamily.Gpt2 || RotaryDimensions > 0, $"partial_rotary_factor {PartialRotaryFactor} leaves no rotary dimensions");
        Require(PartialRotaryFactor > 0 && PartialRotaryFactor <= 1, $"partial_rotary_factor {PartialRotaryFactor} must be in (0, 1]");
        Require(MaxPositionEmbeddings > 0, "max position embeddings must be positive");
        Require(Modeling.Activation.IsSupported(Activation),
            $"activation '{Activation}' is not supported (supported: {string.Join(", ", Modeling.Activation.Supported)})");
        Require(!(TieWordEmbeddings && LmHeadBias), "a tied lm_head cannot have a bias");
        return this;
    }

    /// <summary>Reads a Hugging Face config.json (a file or a directory containing one).</summary>
    public static TransformerConfig Load(string path) => HfConfigFile.Read(path);

    /// <summary>Writes a Hugging Face config.json that transformers can load (torch_dtype float32, architectures).</summary>
    public void Save(string path) => HfConfigFile.Write(this, path);

    internal static ModelFamily FamilyOf(string modelType) => modelType switch
    {
        "gpt2" => ModelFamily.Gpt2,
        "llama" or "mistral" or "qwen2" => ModelFamily.Llama,
        "phi" => ModelFamily.Phi,
        _ => throw new NotSupportedException(
            $"model_type '{modelType}' is not supported; supported: gpt2, llama, mistral, qwen2, phi."),
    };

    private static void Require(bool ok, string message)
    {
        if (!ok) throw new ArgumentException($"Invalid transformer config: {message}.");
    }

    /// <summary>A GPT-2-shaped config (defaults: GPT-2 small's vocabulary and context).</summary>
    public static TransformerConfig Gpt2(long hidden, int layers, int heads, long vocabulary = 50257, long positions = 1024) => new TransformerConfig
    {
        ModelType = "gpt2", HiddenSize = hidden, NumLayers = layers, NumHeads = heads, VocabularySize = vocabulary,
        MaxPositionEmbeddings = positions, IntermediateSize = 4 * hidden, Activation = "gelu_new", NormEpsilon = 1e-5,
        TieWordEmbeddings = true, QkvBias = true, OutputBias = true, MlpBias = true,
        BosTokenId = vocabulary - 1, EosTokenId = vocabulary - 1,
    }.Validate();
}
