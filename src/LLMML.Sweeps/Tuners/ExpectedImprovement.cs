namespace LLMML.Sweeps.Tuners;

/// <summary>Expected improvement of a Gaussian prediction over the best loss so far (minimisation), and the normal functions it needs.</summary>
public static class ExpectedImprovement
{
    /// <summary>
    /// EI = (best − μ − ξ)·Φ(z) + σ·φ(z) with z = (best − μ − ξ)/σ; for σ = 0, max(best − μ − ξ, 0).
    /// </summary>
    public static double Compute(double mean, double std, double best, double xi = 0)
    {
        double improvement = best - mean - xi;
        if (!(std > 0)) return Math.Max(improvement, 0);
        double z = improvement / std;
        return improvement * NormalCdf(z) + std * NormalPdf(z);
    }

    /// <summary>Standard normal density.</summary>
    public static double NormalPdf(double z) => Math.Exp(-0.5 * z * z) / Math.Sqrt(2 * Math.PI);

    /// <summary>Standard normal distribution function, Φ(z) = erfc(−z/√2)/2.</summary>
    public static double NormalCdf(double z) => 0.5 * Erfc(-z / Math.Sqrt(2));

    // Numerical Recipes' Chebyshev fit of erfc (relative error below 1.2e-7 everywhere), enough for ranking candidates.
    private static double Erfc(double x)
    {
        double z = Math.Abs(x), t = 1 / (1 + 0.5 * z);
        double r = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
            + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }
}
