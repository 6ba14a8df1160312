namespace LLMML.LanguageModels.Modeling;

/// <summary>
/// The three decoder-only layouts the one <see cref="CausalLanguageModel"/> covers. The family decides the
/// norm, the position scheme, the MLP shape, whether attention and MLP run in parallel, and the checkpoint key map.
/// </summary>
public enum ModelFamily
{
    /// <summary>GPT-2: learned positions, LayerNorm, GELU-tanh MLP, sequential block, tied embeddings (HF model_type "gpt2").</summary>
    Gpt2,

    /// <summary>LLaMA-style: RMSNorm, rotary, SwiGLU, grouped-query attention (HF model_type "llama", "mistral", "qwen2").</summary>
    Llama,

    /// <summary>Phi-2-style: parallel attention + MLP from one LayerNorm, partial rotary, biases everywhere (HF model_type "phi").</summary>
    Phi,
}
