using System.Text.RegularExpressions;
using LLMML.LanguageModels.Modeling;

namespace LLMML.LanguageModels.Checkpoints;

/// <summary>
/// One Hugging Face tensor and the canonical parameter(s) it holds. Several canonical tensors are concatenated
/// (GPT-2's c_attn = q|k|v); <see cref="Transposed"/> marks Conv1D's [in, out] layout, in which case the parts are
/// transposed and concatenated along dim 1, otherwise along dim 0.
/// </summary>
internal sealed record HfTensorSpec(string Name, string[] Canonical, bool Transposed = false)
{
    public HfTensorSpec(string name, string canonical, bool transposed = false) : this(name, [canonical], transposed) { }

    public int ConcatDim => Transposed ? 1 : 0;
}

/// <summary>
/// The per-family key/layout map between <see cref="CausalLanguageModel"/>'s canonical parameters and the tensor names
/// transformers uses (GPT2LMHeadModel, LlamaForCausalLM / Qwen2ForCausalLM / MistralForCausalLM, PhiForCausalLM).
/// </summary>
internal static class HfTensorMap
{
    public static IReadOnlyList<HfTensorSpec> For(TransformerConfig config) => config.Family switch
    {
        ModelFamily.Gpt2 => Gpt2(config),
        ModelFamily.Llama => Llama(config),
        ModelFamily.Phi => Phi(config),
        _ => throw new NotSupportedException(config.ModelType),
    };

    /// <summary>
    /// Tensors some checkpoints carry that hold no learned state here: GPT-2's causal-mask buffers, LLaMA's cached
    /// rotary frequencies, and a duplicate lm_head.weight in checkpoints of tied models.
    /// </summary>
    public static bool IsIgnorable(TransformerConfig config, string name) => config.Family switch
    {
        ModelFamily.Gpt2 => Gpt2Buffer.IsMatch(name) || (config.TieWordEmbeddings && name == "lm_head.weight"),
        _ => RotaryBuffer.IsMatch(name) || (config.TieWordEmbeddings && name == "lm_head.weight"),
    };

    /// <summary>
    /// Checkpoints saved from the bare base model (GPT2Model, LlamaModel, PhiModel; e.g. the original openai-community/gpt2
    /// weights) name tensors without the "transformer." / "model." prefix; transformers adds it when loading, and so do we.
    /// </summary>
    public static IReadOnlyDictionary<string, T> WithBaseModelPrefix<T>(TransformerConfig config, IReadOnlyDictionary<string, T> tensors)
    {
        var (prefix, probe) = config.Family == ModelFamily.Gpt2 ? ("transformer.", "wte.weight") : ("model.", "embed_tokens.weight");
        if (!tensors.ContainsKey(probe) || tensors.ContainsKey(prefix + probe)) return tensors;
        return tensors.ToDictionary(kv => kv.Key == "lm_head.weight" || kv.Key == "lm_head.bias" ? kv.Key : prefix + kv.Key, kv => kv.Value);
    }

    private static readonly Regex Gpt2Buffer = new(@"^(transformer\.)?h\.\d+\.attn\.(bias|masked_bias)$", RegexOptions.CultureInvariant);
    private static readonly Regex RotaryBuffer = new(@"^model\.layers\.\d+\.self_attn\.rotary_emb\.inv_freq$", RegexOptions.CultureInvariant);

    private static List<HfTensorSpec> Gpt2(TransformerConfig c)
    {
        var specs = new List<HfTensorSpec>
        {
            new("transformer.wte.weight", "embed_tokens.weight"),
            new("transformer.wpe.weight", "embed_positions.weight"),
        };
        for (var i = 0; i < c.NumLayers; i++)
        {
            string hf = $"transformer.h.{i}.", ours = $"layers.{i}.";
            specs.Add(new(hf + "ln_1.weight", ours + "input_layernorm.weight"));
            specs.Add(new(hf + "ln_1.bias", ours + "input_layernorm.bias"));
            specs.Add(new(hf + "attn.c_attn.weight", [ours + "self_attn.q_proj.weight", ours + "self_attn.k_proj.weight", ours + "self_attn.v_proj.weight"], true));
            specs.Add(new(hf + "attn.c_attn.bias", [ours + "self_attn.q_proj.bias", ours + "self_attn.k_proj.bias", ours + "self_attn.v_proj.bias"]));
            specs.Add(new(hf + "attn.c_proj.weight", ours + "self_attn.o_proj.weight", true));
            specs.Add(new(hf + "attn.c_proj.bias", ours + "self_attn.o_proj.bias"));
            specs.Add(new(hf + "ln_2.weight", ours + "post_attention_layernorm.weight"));
            specs.Add(new(hf + "ln_2.bias", ours + "post_attention_layernorm.bias"));
            specs.Add(new(hf + "mlp.c_fc.weight", ours + "mlp.up_proj.weight", true));
            specs.Add(new(hf + "mlp.c_fc.bias", ours + "mlp.up_proj.bias"));
            specs.Add(new(hf + "mlp.c_proj.weight", ours + "mlp.down_proj.weight", true));
            specs.Add(new(hf + "mlp.c_proj.bias", ours + "mlp.down_proj.bias"));
        }
        specs.Add(new("transformer.ln_f.weight", "norm.weight"));
        specs.Add(new("transformer.ln_f.bias", "norm.bias"));
        if (!c.TieWordEmbeddings) specs.Add(new("lm_head.weight", "lm_head.weight"));
        return specs;
    }

    private static List<HfTensorSpec> Llama(TransformerConfig c)
    {
        var specs = new List<HfTensorSpec> { new("model.embed_tokens.weight", "embed_tokens.weight") };
        for (var i = 0; i < c.NumLayers; i++)
        {
            string hf = $"model.layers.{i}.", ours = $"layers.{i}.";
            specs.Add(new(hf + "input_layernorm.weight", ours + "input_layernorm.weight"));
            foreach (var p in new[] { "q_proj", "k_proj", "v_proj", "o_proj" })
            {
                specs.Add(new(hf + $"self_attn.{p}.weight", ours + $"self_attn.{p}.weight"));
                if (p == "o_proj" ? c.OutputBias : c.QkvBias) specs.Add(new(hf + $"self_attn.{p}.bias", ours + $"self_attn.{p}.bias"));
            }
            specs.Add(new(hf + "post_attention_layernorm.weight", ours + "post_attention_layernorm.weight"));
            foreach (var p in new[] { "gate_proj", "up_proj", "down_proj" })
            {
                specs.Add(new(hf + $"mlp.{p}.weight", ours + $"mlp.{p}.weight"));
                if (c.MlpBias) specs.Add(new(hf + $"mlp.{p}.bias", ours + $"mlp.{p}.bias"));
            }
        }
        specs.Add(new("model.norm.weight", "norm.weight"));
        if (!c.TieWordEmbeddings) specs.Add(new("lm_head.weight", "lm_head.weight"));
        return specs;
    }

    private static List<HfTensorSpec> Phi(TransformerConfig c)
    {
        var specs = new List<HfTensorSpec> { new("model.embed_tokens.weight", "embed_tokens.weight") };
        foreach (var suffix in new[] { "weight", "bias" })
        {
            for (var i = 0; i < c.NumLayers; i++)
            {
                string hf = $"model.layers.{i}.", ours = $"layers.{i}.";
                specs.Add(new(hf + $"input_layernorm.{suffix}", ours + $"input_layernorm.{suffix}"));
                specs.Add(new(hf + $"self_attn.q_proj.{suffix}", ours + $"self_attn.q_proj.{suffix}"));
                specs.Add(new(hf + $"self_attn.k_proj.{suffix}", ours + $"self_attn.k_proj.{suffix}"));
                specs.Add(new(hf + $"self_attn.v_proj.{suffix}", ours + $"self_attn.v_proj.{suffix}"));
                specs.Add(new(hf + $"self_attn.dense.{suffix}", ours + $"self_attn.o_proj.{suffix}"));
                specs.Add(new(hf + $"mlp.fc1.{suffix}", ours + $"mlp.up_proj.{suffix}"));
                specs.Add(new(hf + $"mlp.fc2.{suffix}", ours + $"mlp.down_proj.{suffix}"));
            }
            specs.Add(new($"model.final_layernorm.{suffix}", $"norm.{suffix}"));
        }
        if (!c.TieWordEmbeddings)
        {
            specs.Add(new("lm_head.weight", "lm_head.weight"));
            if (c.LmHeadBias) specs.Add(new("lm_head.bias", "lm_head.bias"));
        }
        return specs;
    }
}
