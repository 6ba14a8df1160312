using LLMML.Sweeps.SearchSpaces;
using LLMML.Sweeps.Trials;

namespace LLMML.Sweeps.Tuners;

/// <summary>
/// Proposes parameters and learns from results (AutoML's ITuner). Tuners minimise <see cref="TrialResult.Loss"/>.
/// The experiment calls <see cref="Propose"/> and <see cref="Update"/> from one thread at a time, in trial order, so a
/// tuner seeded the same way proposes the same trials.
/// </summary>
public interface ITuner
{
    /// <summary>The next parameters to try, or null when the tuner has nothing left (a finished grid).</summary>
    Parameter? Propose(TrialSettings settings);

    /// <summary>Learns from a finished trial.</summary>
    void Update(TrialResult result);

    /// <summary>
    /// Whether a running trial that reached <paramref name="loss"/> after <paramref name="resource"/> units should go on.
    /// Only early-stopping tuners (ASHA) ever say no; the experiment then cancels the trial.
    /// </summary>
    bool ShouldContinue(TrialSettings settings, double resource, double loss) => true;
}
