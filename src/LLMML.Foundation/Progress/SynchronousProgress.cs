namespace LLMML.Foundation.Progress;

/// <summary>
/// Reports on the calling thread. <see cref="Progress{T}"/> posts each report to a captured context or the thread
/// pool, which delays and reorders them; renderers and relays of <see cref="ProgressUpdate"/>s want them in order.
/// </summary>
public sealed class SynchronousProgress(Action<ProgressUpdate> report) : IProgress<ProgressUpdate>
{
    private readonly Action<ProgressUpdate> _report = report ?? throw new ArgumentNullException(nameof(report));

    /// <inheritdoc />
    public void Report(ProgressUpdate value) => _report(value);

    /// <summary>Relays <paramref name="progress"/>'s reports under <paramref name="stage"/>; null stays null.</summary>
    public static IProgress<ProgressUpdate>? Restaged(IProgress<ProgressUpdate>? progress, string stage) =>
        progress is null ? null : new SynchronousProgress(update => progress.Report(update with { Stage = stage }));
}
