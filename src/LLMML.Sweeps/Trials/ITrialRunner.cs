namespace LLMML.Sweeps.Trials;

/// <summary>
/// Runs one trial: builds and fits what <see cref="TrialContext.Settings"/>' parameters describe, evaluates it and
/// releases it. Long trials report intermediate metrics through <see cref="TrialContext.Report"/> and stop when
/// <see cref="TrialContext.CancellationToken"/> fires (the sweep was cancelled, its time ran out, or the tuner stopped
/// this trial early).
/// </summary>
public interface ITrialRunner
{
    /// <summary>Runs the trial and returns its metrics.</summary>
    TrialMetrics Run(TrialContext context);
}

/// <summary>A trial runner from a delegate.</summary>
public sealed class DelegateTrialRunner(Func<TrialContext, TrialMetrics> run) : ITrialRunner
{
    /// <inheritdoc />
    public TrialMetrics Run(TrialContext context) => run(context);
}
