using LLMML.Sweeps.SearchSpaces;

namespace LLMML.Sweeps.Trials;

/// <summary>What a running trial sees: its settings, its cancellation token and a channel for intermediate metrics.</summary>
public sealed class TrialContext
{
    private readonly CancellationTokenSource _stop;
    private readonly Func<double, double, bool> _shouldContinue;
    private readonly List<(double Resource, double Metric)> _intermediate = [];

    internal TrialContext(TrialSettings settings, CancellationTokenSource stop, Func<double, double, bool> shouldContinue)
    {
        Settings = settings;
        _stop = stop;
        _shouldContinue = shouldContinue;
    }

    /// <summary>The trial.</summary>
    public TrialSettings Settings { get; }

    /// <summary>The trial's parameters.</summary>
    public Parameter Parameter => Settings.Parameter;

    /// <summary>Fires when the sweep is cancelled, its wall-time budget runs out, or the tuner stops this trial early.</summary>
    public CancellationToken CancellationToken => _stop.Token;

    /// <summary>Whether the tuner stopped this trial early (as opposed to the whole sweep stopping).</summary>
    public bool StoppedEarly { get; private set; }

    /// <summary>The intermediate reports so far.</summary>
    public IReadOnlyList<(double Resource, double Metric)> Intermediate => _intermediate;

    /// <summary>
    /// Reports <paramref name="metric"/> after <paramref name="resource"/> units of work (epochs, steps, examples).
    /// When the tuner decides the trial is losing, the trial's token is cancelled and this returns false.
    /// </summary>
    public bool Report(double resource, double metric)
    {
        _intermediate.Add((resource, metric));
        if (_shouldContinue(resource, metric)) return true;
        StoppedEarly = true;
        _stop.Cancel();
        return false;
    }
}
