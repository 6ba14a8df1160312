using LLMML.Sweeps.SearchSpaces;

namespace LLMML.Sweeps.Trials;

/// <summary>One trial's identity: its number in the sweep and, once a tuner proposed it, its parameters (AutoML's TrialSettings).</summary>
public sealed class TrialSettings
{
    /// <summary>0-based number of the trial in its sweep (proposal order).</summary>
    public required int TrialId { get; init; }

    /// <summary>The parameters the tuner proposed.</summary>
    public Parameter Parameter { get; set; } = null!;
}
