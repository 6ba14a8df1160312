using LLMML.Sweeps.SearchSpaces;
using LLMML.Sweeps.Trials;

namespace LLMML.Sweeps.Tuners;

/// <summary>
/// Sequential model-based optimisation in SMAC's style (Hutter et al. 2011), as AutoML's SmacTuner: the first
/// <c>numberInitialPopulation</c> trials are random; after that a FastForest regression (<see cref="ForestSurrogate"/>)
/// is fitted to every finished trial's loss and the next trial maximises expected improvement over the best loss, among
/// <c>numberOfRandomCandidates</c> random points and a hill-climb of EI from each of the best
/// <c>localSearchParentCount</c> trials. A point already tried is never proposed again.
/// </summary>
public sealed class SmacTuner(
    SearchSpace searchSpace,
    int seed = 0,
    int numberInitialPopulation = 10,
    int numberOfTrees = 10,
    int numberOfLeaves = 10,
    int numberOfRandomCandidates = 500,
    int localSearchParentCount = 5,
    double localSearchStep = 0.05) : ITuner
{
    private readonly Random _random = new(seed);
    private readonly int _dim = searchSpace.FeatureSpaceDim;
    private readonly List<(double[] X, double Loss)> _history = [];
    private readonly HashSet<string> _tried = new(StringComparer.Ordinal);
    private readonly Microsoft.ML.MLContext _ml = new(seed);
    private int _proposed;

    /// <summary>Every finished trial as (feature-space point, loss), in the order reported.</summary>
    public IReadOnlyList<(double[] X, double Loss)> History => _history;

    /// <summary>The surrogate fitted for the latest model-based proposal (null while still random).</summary>
    public ForestSurrogate? Surrogate { get; private set; }

    /// <inheritdoc />
    public Parameter? Propose(TrialSettings settings)
    {
        _proposed++;
        var finite = _history.Where(h => double.IsFinite(h.Loss)).ToArray();
        if (_proposed <= numberInitialPopulation || finite.Length < 2) return Remember(UnitCube.Uniform(_random, _dim));

        // Failed trials take the worst loss seen so the forest learns to avoid them without an infinite label.
        double worst = finite.Max(h => h.Loss);
        var points = _history.Select(h => h.X).ToArray();
        var losses = _history.Select(h => double.IsFinite(h.Loss) ? h.Loss : worst).ToArray();
        var surrogate = Surrogate = ForestSurrogate.Fit(points, losses, numberOfTrees, numberOfLeaves, seed: _random.Next(), context: _ml);
        double best = losses.Min();
        double Ei(double[] x)
        {
            var (mean, std) = surrogate.Predict(x);
            return ExpectedImprovement.Compute(mean, std, best);
        }

        var candidates = new List<(double[] X, double Ei)>();
        for (int i = 0; i < numberOfRandomCandidates; i++)
        {
            var x = UnitCube.Uniform(_random, _dim);
            candidates.Add((x, Ei(x)));
        }
        foreach (var (parent, _) in _history.Where(h => double.IsFinite(h.Loss)).OrderBy(h => h.Loss).Take(localSearchParentCount))
            candidates.Add(LocalSearch(parent, Ei));

        foreach (var (x, _) in candidates.OrderByDescending(c => c.Ei))
            if (!_tried.Contains(searchSpace.Sample(x).ToString())) return Remember(x);
        return Remember(UnitCube.Uniform(_random, _dim));
    }

    /// <inheritdoc />
    public void Update(TrialResult result) =>
        _history.Add((searchSpace.MappingToFeatureSpace(result.TrialSettings.Parameter), result.Loss));

    // Greedy hill-climb of EI over Gaussian moves of each coordinate (SMAC's one-exchange neighbourhood).
    private (double[] X, double Ei) LocalSearch(double[] start, Func<double[], double> ei)
    {
        var (x, value) = (start, ei(start));
        for (int step = 0; step < 10; step++)
        {
            var (bestX, bestValue) = (x, value);
            for (int d = 0; d < _dim; d++)
            {
                for (int k = 0; k < 4; k++)
                {
                    var y = (double[])x.Clone();
                    y[d] = Math.Clamp(y[d] + localSearchStep * UnitCube.Gaussian(_random) * 2, 0, 1);
                    double v = ei(y);
                    if (v > bestValue) (bestX, bestValue) = (y, v);
                }
            }
            if (ReferenceEquals(bestX, x)) break;
            (x, value) = (bestX, bestValue);
        }
        return (x, value);
    }

    private Parameter Remember(double[] x)
    {
        var parameter = searchSpace.Sample(x);
        _tried.Add(parameter.ToString());
        return parameter;
    }
}
