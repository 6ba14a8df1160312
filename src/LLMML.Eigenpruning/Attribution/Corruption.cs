namespace LLMML.Eigenpruning.Attribution;

/// <summary>Which corrupted example each clean example is compared with (Δx = x_corrupt − x_clean).</summary>
public enum Corruption
{
    /// <summary>The next example of a seeded random cycle through the data, never the example itself or a token-identical copy (default).</summary>
    Cycle,

    /// <summary>
    /// A seeded random partner with the same prompt and answer lengths (a derangement within each length group), so
    /// every position of the clean row has a counterpart; a group of one falls back to the cycle partner.
    /// </summary>
    SameLengthShuffle,

    /// <summary>
    /// A task-specific counterfactual given per example (for the competing organism: the cue-flipped prompt,
    /// "mul:" ↔ "add:"), so Δx carries exactly the information the counterfactual changes.
    /// </summary>
    Counterfactual,

    /// <summary>
    /// The released code's corruption: each batch of <see cref="EigenpruneSettings.BatchSize"/> examples rolled by one. At
    /// batch size 1 every example is its own corruption, Δx ≡ 0 and every score is exactly 0, so the stable sort prunes
    /// in enumeration order (<see cref="EigenpruneSettings.PaperCompatible"/>).
    /// </summary>
    BatchRoll,
}

/// <summary>How each singular value is scored.</summary>
public enum Scorer
{
    /// <summary>The paper's linear (attribution-patching) estimate s_i·(u_iᵀΔx)·(v_iᵀg), reduced over examples and positions.</summary>
    Linear,

    /// <summary>
    /// Exact ablation: each singular value removed in turn (with the chosen ablation) and the mean change of the answer
    /// NLL over <see cref="EigenpruneSettings.ExactExamples"/> training examples measured with real forward passes. One
    /// forward per singular value, capped by <see cref="EigenpruneSettings.ExactBudget"/>.
    /// </summary>
    Exact,
}
