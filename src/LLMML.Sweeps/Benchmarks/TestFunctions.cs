using LLMML.Sweeps.SearchSpaces;

namespace LLMML.Sweeps.Benchmarks;

/// <summary>A standard global-optimisation test function: its search space, its value at a point, its known minimum.</summary>
/// <param name="Name">Function name.</param>
/// <param name="Space">Its domain as a search space (parameters x1…xd).</param>
/// <param name="Evaluate">The function at a point.</param>
/// <param name="Minimum">The known global minimum.</param>
public sealed record TestFunction(string Name, SearchSpace Space, Func<Parameter, double> Evaluate, double Minimum)
{
    /// <summary>
    /// Branin–Hoo on [−5, 10] × [0, 15]: three global minima of 0.397887 at (−π, 12.275), (π, 2.275), (9.42478, 2.475).
    /// </summary>
    public static TestFunction Branin { get; } = new("branin",
        new SearchSpace().Uniform("x1", -5, 10).Uniform("x2", 0, 15),
        p => BraninAt(p.GetDouble("x1"), p.GetDouble("x2")), 0.39788735772973816);

    /// <summary>Hartmann-6 on [0, 1]^6: global minimum −3.32237 at (0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573).</summary>
    public static TestFunction Hartmann6 { get; } = new("hartmann6",
        Enumerable.Range(1, 6).Aggregate(new SearchSpace(), (s, i) => s.Uniform($"x{i}", 0, 1)),
        p => Hartmann6At(Enumerable.Range(1, 6).Select(i => p.GetDouble($"x{i}")).ToArray()), -3.32236801141551);

    /// <summary>a(x2 − b·x1² + c·x1 − r)² + s(1 − t)cos(x1) + s with the standard constants.</summary>
    public static double BraninAt(double x1, double x2)
    {
        const double a = 1, b = 5.1 / (4 * Math.PI * Math.PI), c = 5 / Math.PI, r = 6, s = 10, t = 1 / (8 * Math.PI);
        double u = x2 - b * x1 * x1 + c * x1 - r;
        return a * u * u + s * (1 - t) * Math.Cos(x1) + s;
    }

    /// <summary>−Σᵢ αᵢ exp(−Σⱼ Aᵢⱼ (xⱼ − Pᵢⱼ)²) with the standard α, A, P.</summary>
    public static double Hartmann6At(IReadOnlyList<double> x)
    {
        double[] alpha = [1.0, 1.2, 3.0, 3.2];
        double[,] a =
        {
            { 10, 3, 17, 3.5, 1.7, 8 }, { 0.05, 10, 17, 0.1, 8, 14 }, { 3, 3.5, 1.7, 10, 17, 8 }, { 17, 8, 0.05, 10, 0.1, 14 },
        };
        double[,] p =
        {
            { 0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886 }, { 0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991 },
            { 0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650 }, { 0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381 },
        };
        double sum = 0;
        for (int i = 0; i < 4; i++)
        {
            double inner = 0;
            for (int j = 0; j < 6; j++) inner += a[i, j] * (x[j] - p[i, j]) * (x[j] - p[i, j]);
            sum += alpha[i] * Math.Exp(-inner);
        }
        return -sum;
    }
}
