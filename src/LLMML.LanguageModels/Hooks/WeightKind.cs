namespace LLMML.LanguageModels.Hooks;

/// <summary>Which projection of a block <see cref="ModelWeights"/> reads or writes.</summary>
public enum WeightKind
{
    /// <summary>Attention query. Per head h (0…H−1): W [D, hd], b [hd].</summary>
    Query,

    /// <summary>Attention key. Per key/value head g (0…Hkv−1): W [D, hd], b [hd].</summary>
    Key,

    /// <summary>Attention value. Per key/value head g (0…Hkv−1): W [D, hd], b [hd].</summary>
    Value,

    /// <summary>Attention output. Per head h: W [hd, D] (the rows that read head h); the bias [D] is shared, so per head it is null.</summary>
    Output,

    /// <summary>MLP input (GPT-2 c_fc, Phi fc1, LLaMA up_proj): W [D, I], b [I]. No heads.</summary>
    MlpIn,

    /// <summary>MLP gate (LLaMA gate_proj only): W [D, I]. No heads.</summary>
    MlpGate,

    /// <summary>MLP output (GPT-2 mlp.c_proj, Phi fc2, LLaMA down_proj): W [I, D], b [D]. No heads.</summary>
    MlpOut,
}
