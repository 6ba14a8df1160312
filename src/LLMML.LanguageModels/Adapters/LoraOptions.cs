namespace LLMML.LanguageModels.Adapters;

/// <summary>Which projections get LoRA adapters and how large they are.</summary>
public sealed class LoraOptions
{
    /// <summary>Rank r of the update B·A.</summary>
    public int Rank { get; set; } = 8;

    /// <summary>Scale numerator: the update is multiplied by Alpha / Rank.</summary>
    public double Alpha { get; set; } = 16;

    /// <summary>
    /// Regular expression matched (with <c>Regex.IsMatch</c>) against each Linear module's full name, e.g.
    /// <c>layers.3.self_attn.q_proj</c>. Default: the attention query and value projections.
    /// </summary>
    public string TargetPattern { get; set; } = @"self_attn\.(q_proj|v_proj)$";

    /// <summary>When true (default), every non-adapter parameter of the model is frozen (requires_grad = false).</summary>
    public bool FreezeBase { get; set; } = true;

    /// <summary>Seed for A's initialisation; null uses the current torch generator.</summary>
    public long? Seed { get; set; }
}
