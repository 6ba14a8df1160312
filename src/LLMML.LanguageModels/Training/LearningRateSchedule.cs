namespace LLMML.LanguageModels.Training;

/// <summary>Linear warm-up followed by cosine decay.</summary>
/// <remarks>
/// For optimizer step s (0-based), peak η, floor η_min, W warm-up steps and T total steps:
/// s &lt; W: η·(s+1)/W; otherwise η_min + ½(η − η_min)(1 + cos(π·(s − W)/(T − W))).
/// The first decay step uses η and the rate would reach η_min one step after the last.
/// </remarks>
public static class LearningRateSchedule
{
    /// <summary>The learning rate for optimizer step <paramref name="step"/> under <paramref name="options"/>.</summary>
    public static double At(long step, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return WarmupCosine(step, options.LearningRate, options.MinLearningRate, options.WarmupSteps, options.MaxSteps);
    }

    /// <summary>The learning rate for optimizer step <paramref name="step"/> (0-based).</summary>
    public static double WarmupCosine(long step, double peak, double floor, int warmupSteps, int maxSteps)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        if (step < warmupSteps)
            return peak * (step + 1) / warmupSteps;
        var decaySteps = maxSteps - warmupSteps;
        if (decaySteps <= 0)
            return peak;
        var progress = Math.Min(1.0, (double)(step - warmupSteps) / decaySteps);
        return floor + 0.5 * (peak - floor) * (1 + Math.Cos(Math.PI * progress));
    }
}
