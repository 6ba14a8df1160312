namespace LLMML.Sweeps.Trials;

/// <summary>How a trial ended.</summary>
public enum TrialStatus
{
    /// <summary>Fitted and evaluated.</summary>
    Completed,

    /// <summary>Stopped early by the tuner (ASHA) after an intermediate metric; its metric is the last one reported.</summary>
    Stopped,

    /// <summary>Threw; its loss counts as the worst possible.</summary>
    Failed,
}
