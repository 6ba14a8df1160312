using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;

namespace LLMML.Sweeps.Tuners;

/// <summary>
/// SMAC's surrogate: ML.NET's FastForest regression fitted to (feature-space point, loss); a prediction is the mean and
/// the spread (population standard deviation) of the individual trees' outputs, read by walking each tree.
/// </summary>
public sealed class ForestSurrogate
{
    private readonly RegressionTreeBase[] _trees;
    private readonly Tree[] _walk;

    private ForestSurrogate(RegressionTreeBase[] trees)
    {
        _trees = trees;
        // ML.NET's tree accessors copy their arrays on every call; a prediction walks thousands of nodes, so copy once.
        _walk = trees.Select(t => new Tree(t.LeftChild.ToArray(), t.RightChild.ToArray(), t.NumericalSplitFeatureIndexes.ToArray(),
            t.NumericalSplitThresholds.ToArray(), t.LeafValues.ToArray())).ToArray();
    }

    /// <summary>Trees in the forest.</summary>
    public int TreeCount => _trees.Length;

    /// <summary>Fits a forest of <paramref name="trees"/> trees to <paramref name="y"/> at <paramref name="x"/>.</summary>
    public static ForestSurrogate Fit(IReadOnlyList<double[]> x, IReadOnlyList<double> y, int trees = 10, int leaves = 10, int minimumExamplesPerLeaf = 2, int seed = 0, MLContext? context = null)
    {
        if (x.Count != y.Count || x.Count < 2) throw new ArgumentException($"A surrogate needs at least two (point, loss) pairs of equal count (got {x.Count} points, {y.Count} losses).");
        int dim = x[0].Length;
        var ml = context ?? new MLContext(seed);
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dim);
        var rows = x.Select((p, i) => new Row { Features = Array.ConvertAll(p, v => (float)v), Label = (float)y[i] });
        var data = ml.Data.LoadFromEnumerable(rows, schema);
        var trainer = ml.Regression.Trainers.FastForest(new FastForestRegressionTrainer.Options
        {
            NumberOfTrees = trees,
            NumberOfLeaves = leaves,
            MinimumExampleCountPerLeaf = minimumExamplesPerLeaf,
            NumberOfThreads = 1,
            Seed = seed,
            // Each tree sees a bootstrap-like share of the trials, so the trees disagree where data are thin: that spread is σ.
            BaggingSize = 1,
            BaggingExampleFraction = 0.7,
            FeatureFraction = 1,
        });
        var model = trainer.Fit(data).Model;
        return new ForestSurrogate(model.TrainedTreeEnsemble.Trees.Cast<RegressionTreeBase>().ToArray());
    }

    /// <summary>Mean and standard deviation of the trees' predictions at <paramref name="x"/>.</summary>
    public (double Mean, double Std) Predict(ReadOnlySpan<double> x)
    {
        double sum = 0, sumSquares = 0;
        foreach (var tree in _walk)
        {
            double v = tree.Output(x);
            sum += v;
            sumSquares += v * v;
        }
        double mean = sum / _trees.Length;
        return (mean, Math.Sqrt(Math.Max(0, sumSquares / _trees.Length - mean * mean)));
    }

    /// <summary>One tree's output: from the root, left when feature ≤ threshold; a negative child index ~i is leaf i.</summary>
    public static double TreeOutput(RegressionTreeBase tree, ReadOnlySpan<double> x)
    {
        if (tree.NumberOfLeaves <= 1) return tree.LeafValues[0];
        int node = 0;
        while (node >= 0)
            node = (float)x[tree.NumericalSplitFeatureIndexes[node]] <= tree.NumericalSplitThresholds[node] ? tree.LeftChild[node] : tree.RightChild[node];
        return tree.LeafValues[~node];
    }

    private sealed record Tree(int[] Left, int[] Right, int[] Feature, float[] Threshold, double[] Leaf)
    {
        public double Output(ReadOnlySpan<double> x)
        {
            if (Leaf.Length <= 1) return Leaf[0];
            int node = 0;
            while (node >= 0) node = (float)x[Feature[node]] <= Threshold[node] ? Left[node] : Right[node];
            return Leaf[~node];
        }
    }

    /// <summary>The trees (for inspection and tests).</summary>
    public IReadOnlyList<RegressionTreeBase> Trees => _trees;

    private sealed class Row
    {
        public float[] Features { get; set; } = [];
        public float Label { get; set; }
    }
}
