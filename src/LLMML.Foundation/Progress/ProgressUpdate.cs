namespace LLMML.Foundation.Progress;

/// <summary>
/// One report from long-running work (training, fitting, scoring, graph loading), consumed through
/// <see cref="IProgress{T}"/>. Every component reports with this type so one renderer (the CLI's
/// progress bar, a test's recorder, a notebook's logger) serves them all.
/// </summary>
/// <param name="Stage">What is being done, e.g. "pretrain", "score singular values".</param>
/// <param name="Completed">Units done so far.</param>
/// <param name="Total">Units in all, or null when unknown.</param>
/// <param name="Metrics">Named numbers worth showing now (loss, learning rate, accuracy).</param>
public sealed record ProgressUpdate(
    string Stage,
    long Completed,
    long? Total = null,
    IReadOnlyDictionary<string, double>? Metrics = null)
{
    /// <summary>Fraction done in [0, 1], or null when the total is unknown.</summary>
    public double? Fraction => Total is > 0 ? Math.Clamp((double)Completed / Total.Value, 0, 1) : null;
}
