// Shape comments (<param>) document the tensor arguments only.
#pragma warning disable CS1573
using LLMML.LanguageModels.Generation;
using LLMML.LanguageModels.Hooks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LLMML.LanguageModels.Modeling;

/// <summary>
/// The decoder-only transformer for all three families (<see cref="ModelFamily"/>), driven by a <see cref="TransformerConfig"/>.
/// <para>
/// Design: ONE canonical module tree (LLaMA-like names: embed_tokens, embed_positions, layers.{i}.input_layernorm,
/// self_attn.{q,k,v,o}_proj, post_attention_layernorm, mlp.{gate,up,down}_proj, norm, lm_head) for every family, and
/// a per-family key/layout map in Checkpoints/ (<c>HfTensorMap</c>) that renames, transposes GPT-2's Conv1D
/// weights and splits/fuses c_attn. One tree keeps residual hooks, per-head weight access and LoRA single implementations;
/// only the loader knows Hugging Face names.
/// </para>
/// Tied embeddings: there is no lm_head module; logits use embed_tokens.weight.
/// </summary>
public sealed class CausalLanguageModel : nn.Module<Tensor, Tensor?, KeyValueCache?, Tensor>
{
    private readonly List<ResidualStreamHook> residualHooks = [];

    // [V, D]
    public nn.Module<Tensor, Tensor> embed_tokens;
    // [P, D] learned positions (GPT-2 only)
    public nn.Module<Tensor, Tensor>? embed_positions;
    public ModuleList<DecoderBlock> layers;
    // final LayerNorm / RmsNorm over D
    public nn.Module<Tensor, Tensor> norm;
    // weight [V, D], bias [V] (Phi); null when embeddings are tied
    public nn.Module<Tensor, Tensor>? lm_head;

    public TransformerConfig Config { get; }

    /// <summary>Builds a model with freshly initialised weights (normal(0, 0.02), zero biases), on the CPU.</summary>
    public CausalLanguageModel(TransformerConfig config) : base(nameof(CausalLanguageModel))
    {
        Config = config.Validate();
        embed_tokens = nn.Embedding(config.VocabularySize, config.HiddenSize);
        if (config.UsesLearnedPositions)
            embed_positions = nn.Embedding(config.MaxPositionEmbeddings, config.HiddenSize);
        layers = nn.ModuleList(Enumerable.Range(0, config.NumLayers).Select(i => new DecoderBlock(config, i)).ToArray());
        norm = DecoderBlock.Norm(config);
        if (!config.TieWordEmbeddings)
            lm_head = nn.Linear(config.HiddenSize, config.VocabularySize, hasBias: config.LmHeadBias);
        RegisterComponents();
        InitialiseWeights();
    }

    /// <summary>The device the parameters live on.</summary>
    public Device Device => TokenEmbedding.device;

    /// <summary>[V, D] token embedding matrix (also the output matrix when tied).</summary>
    public Tensor TokenEmbedding => embed_tokens.parameters().First();

    /// <summary>Number of scalar parameters (tied matrices counted once).</summary>
    public long ParameterCount => parameters().Sum(p => p.numel());

    /// <summary>Logits of each position's next token.</summary>
    /// <param name="inputIds">[B, T] int64</param>
    /// <param name="attentionMask">[B, T] 1 = real token, 0 = padding (left or right); null = all real. With a cache,
    /// it covers only the new tokens: the cache remembers the mask of earlier ones.</param>
    /// <param name="cache">Keys/values of earlier tokens; appended to. Null = no cache.</param>
    /// <returns>[B, T, V] float logits</returns>
    public override Tensor forward(Tensor inputIds, Tensor? attentionMask, KeyValueCache? cache)
    {
        if (inputIds.dim() != 2) throw new ArgumentException($"input ids must be [batch, time], got [{string.Join(", ", inputIds.shape)}].", nameof(inputIds));
        if (attentionMask is not null && !attentionMask.shape.SequenceEqual(inputIds.shape))
            throw new ArgumentException($"attention mask [{string.Join(", ", attentionMask.shape)}] must match input ids [{string.Join(", ", inputIds.shape)}].", nameof(attentionMask));
        using var scope = NewDisposeScope();
        long batch = inputIds.shape[0], time = inputIds.shape[1];
        var device = inputIds.device;
        var past = cache?.Length ?? 0;
        if (cache is not null && cache.Length > 0 && cache.BatchSize != batch)
            throw new ArgumentException($"the cache holds {cache.BatchSize} rows but the input has {batch}.", nameof(cache));
        if (past + time > Config.MaxPositionEmbeddings && Config.UsesLearnedPositions)
            throw new ArgumentException($"{past + time} tokens exceed the {Config.MaxPositionEmbeddings} learned positions.", nameof(inputIds));

        // Key mask over past + current tokens; null when every token so far is real.
        Tensor? keyMask = null;
        if (attentionMask is not null || cache?.KeyMask is not null)
        {
            var pastMask = cache?.KeyMask ?? ones(batch, past, dtype: ScalarType.Int64, device: device);
            var currentMask = attentionMask?.to_type(ScalarType.Int64) ?? ones(batch, time, dtype: ScalarType.Int64, device: device);
            keyMask = past > 0 ? cat([pastMask.to(device), currentMask], 1) : currentMask;
        }

        var positions = AttentionMask.Positions(keyMask, batch, past, time, device);   // [B, T]
        Tensor h = embed_tokens.call(inputIds);                                          // [B, T, D]
        if (embed_positions is not null) h = h + embed_positions.call(positions);
        Tensor? cos = null, sin = null;
        if (Config.RotaryDimensions > 0)
            (cos, sin) = RotaryEmbedding.Tables(positions, Config.RotaryDimensions, Config.RopeTheta);
        var needsBias = keyMask is not null || past > 0;
        var context = new ForwardContext
        {
            Cos = cos,
            Sin = sin,
            AttentionBias = needsBias ? AttentionMask.Bias(keyMask, batch, past, time, h.dtype, device) : null,
            Cache = cache,
        };

        h = RunResidualHooks(0, h);
        for (var i = 0; i < layers.Count; i++)
            h = RunResidualHooks(i + 1, layers[i].Forward(h, context));
        h = norm.call(h);
        var logits = lm_head is null ? nn.functional.linear(h, TokenEmbedding) : lm_head.call(h);   // [B, T, V]
        cache?.Commit(keyMask, past + time);
        return logits.MoveToOuterDisposeScope();
    }

    /// <summary>Logits for unpadded input without a cache.</summary>
    /// <param name="inputIds">[B, T] int64</param>
    /// <returns>[B, T, V]</returns>
    public Tensor forward(Tensor inputIds) => forward(inputIds, null, null);

    /// <summary>
    /// Registers a residual-stream hook (see <see cref="ResidualStreamHook"/>); hooks run in registration order on every
    /// forward pass until the returned handle is disposed.
    /// </summary>
    public IDisposable AddResidualHook(ResidualStreamHook hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        residualHooks.Add(hook);
        return new HookHandle(() => residualHooks.Remove(hook));
    }

    private Tensor RunResidualHooks(int layer, Tensor residual)
    {
        foreach (var hook in residualHooks.ToArray())
        {
            var replacement = hook(layer, residual);
            if (replacement is null) continue;
            if (!replacement.shape.SequenceEqual(residual.shape))
                throw new InvalidOperationException(
                    $"A residual hook at layer {layer} returned shape [{string.Join(", ", replacement.shape)}], expected [{string.Join(", ", residual.shape)}].");
            residual = replacement.to(residual.device).to_type(residual.dtype);
        }
        return residual;
    }

    private void InitialiseWeights()
    {
        using var noGrad = no_grad();
        foreach (var (name, parameter) in named_parameters())
        {
            // fill_ returns the parameter itself; zero_ returns a new handle that would stay alive until finalised.
            if (name.EndsWith("bias", StringComparison.Ordinal)) parameter.fill_(0.0);
            else if (name.Contains("layernorm") || name.StartsWith("norm.", StringComparison.Ordinal)) parameter.fill_(1.0);
            else nn.init.normal_(parameter, 0.0, 0.02);
        }
    }

    private sealed class HookHandle(Action remove) : IDisposable
    {
        private Action? remove = remove;

        public void Dispose()
        {
            remove?.Invoke();
            remove = null;
        }
    }
}
