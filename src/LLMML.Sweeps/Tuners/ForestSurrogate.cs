using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;

namespace LLMML.Sweeps.Tuners;

/// <summary>
/// SMAC's surrogate: ML.NET's FastForest regression fitted to (feature-space point, loss); a prediction is the mean and
/// the spread (population standard deviation) of the individual trees' outputs, read by walking each tree.
/// </summary>
/// <remarks>
/// A SMAC proposal refits this forest on ≤ a few hundred points, so ML.NET's fixed costs, not the trees, dominate. Three of
/// them are avoided without changing the fitted trees: the training view is a plain in-memory <see cref="IDataView"/>
/// (no reflection-emitted getters per cursor, as <c>LoadFromEnumerable</c> builds); the fit runs as a task of a scheduler
/// that executes every task at once on the calling thread, because FastTree starts a task per split
/// (<c>Task.Factory.StartNew</c>, i.e. on <see cref="TaskScheduler.Current"/>) and waits on it — a hand-off to a
/// thread-pool worker and back, about half the fit's time on a busy machine; and FastTree's forced full
/// garbage collections (two <c>GC.Collect(2)</c> and a <c>GC.GetTotalMemory(true)</c> per fit, meant for
/// gigabyte-sized data sets) are switched off through its private <c>AllowGC</c> field when the field exists.
/// </remarks>
public sealed class ForestSurrogate
{
    // FastTreeTrainerBase's AllowGC field (ML.NET 6); null if a later ML.NET drops it, and then fits only run slower.
    private static readonly FieldInfo? AllowGcField = FindAllowGcField();

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

    /// <summary>Whether fits skip FastTree's forced garbage collections (false if this ML.NET has no <c>AllowGC</c> field).</summary>
    public static bool SkipsForcedCollections => AllowGcField is not null;

    /// <summary>Fits a forest of <paramref name="trees"/> trees to <paramref name="y"/> at <paramref name="x"/>.</summary>
    public static ForestSurrogate Fit(IReadOnlyList<double[]> x, IReadOnlyList<double> y, int trees = 10, int leaves = 10, int minimumExamplesPerLeaf = 2, int seed = 0, MLContext? context = null)
    {
        if (x.Count != y.Count || x.Count < 2) throw new ArgumentException($"A surrogate needs at least two (point, loss) pairs of equal count (got {x.Count} points, {y.Count} losses).");
        var ml = context ?? new MLContext(seed);
        var data = new PointsDataView(x, y);
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
        AllowGcField?.SetValue(trainer, false);
        var model = Task.Factory.StartNew(() => trainer.Fit(data).Model, CancellationToken.None, TaskCreationOptions.None, InlineScheduler.Instance)
            .GetAwaiter().GetResult();
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
        return MeanAndStd(sum, sumSquares);
    }

    /// <summary>
    /// <see cref="Predict"/> at every point of <paramref name="points"/> into <paramref name="mean"/> and <paramref name="std"/>:
    /// tree by tree, so one tree's arrays stay in cache across all the points; the same sums in the same order, so the
    /// same values bit for bit.
    /// </summary>
    public void PredictMany(IReadOnlyList<double[]> points, Span<double> mean, Span<double> std)
    {
        if (mean.Length < points.Count || std.Length < points.Count) throw new ArgumentException($"PredictMany: {points.Count} points need outputs of that length (got {mean.Length}, {std.Length}).");
        int n = points.Count;
        var sum = mean[..n];
        var sumSquares = std[..n];
        sum.Clear();
        sumSquares.Clear();
        foreach (var tree in _walk)
        {
            for (int i = 0; i < n; i++)
            {
                double v = tree.Output(points[i]);
                sum[i] += v;
                sumSquares[i] += v * v;
            }
        }
        for (int i = 0; i < n; i++) (mean[i], std[i]) = MeanAndStd(sum[i], sumSquares[i]);
    }

    private (double Mean, double Std) MeanAndStd(double sum, double sumSquares)
    {
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

    private static FieldInfo? FindAllowGcField()
    {
        for (var type = typeof(FastForestRegressionTrainer).BaseType; type is not null; type = type.BaseType)
            if (type.GetField("AllowGC", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.DeclaredOnly) is { FieldType: var t } field && t == typeof(bool))
                return field;
        return null;
    }

    /// <summary>Runs each task synchronously on the thread that queues it (FastTree's per-split tasks included).</summary>
    private sealed class InlineScheduler : TaskScheduler
    {
        public static readonly InlineScheduler Instance = new();

        public override int MaximumConcurrencyLevel => 1;

        protected override void QueueTask(Task task) => TryExecuteTask(task);

        protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => TryExecuteTask(task);

        protected override IEnumerable<Task> GetScheduledTasks() => [];
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

    /// <summary>The (Features, Label) rows a surrogate is fitted to, as single-precision values in memory.</summary>
    internal sealed class PointsDataView : IDataView
    {
        private readonly float[][] _features;
        private readonly float[] _labels;

        public PointsDataView(IReadOnlyList<double[]> x, IReadOnlyList<double> y)
        {
            int dim = x[0].Length;
            _features = new float[x.Count][];
            _labels = new float[x.Count];
            for (int i = 0; i < x.Count; i++)
            {
                if (x[i].Length != dim) throw new ArgumentException($"Surrogate point {i} has {x[i].Length} coordinates, point 0 has {dim}.");
                _features[i] = Array.ConvertAll(x[i], v => (float)v);
                _labels[i] = (float)y[i];
            }
            var builder = new DataViewSchema.Builder();
            builder.AddColumn("Features", new VectorDataViewType(NumberDataViewType.Single, dim));
            builder.AddColumn("Label", NumberDataViewType.Single);
            Schema = builder.ToSchema();
        }

        public bool CanShuffle => false;

        public DataViewSchema Schema { get; }

        public long? GetRowCount() => _labels.Length;

        public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => new Cursor(this);

        public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => [new Cursor(this)];

        private sealed class Cursor(PointsDataView view) : DataViewRowCursor
        {
            private long _position = -1;

            public override DataViewSchema Schema => view.Schema;

            public override long Position => _position;

            public override long Batch => 0;

            public override bool MoveNext() => ++_position < view._labels.Length;

            public override bool IsColumnActive(DataViewSchema.Column column) => true;

            public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);

            public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
            {
                if (column.Index == 0 && typeof(TValue) == typeof(VBuffer<float>))
                {
                    ValueGetter<VBuffer<float>> features = (ref VBuffer<float> value) =>
                    {
                        var source = view._features[_position];
                        var editor = VBufferEditor.Create(ref value, source.Length);
                        source.CopyTo(editor.Values);
                        value = editor.Commit();
                    };
                    return (ValueGetter<TValue>)(Delegate)features;
                }
                if (column.Index == 1 && typeof(TValue) == typeof(float))
                {
                    ValueGetter<float> label = (ref float value) => value = view._labels[_position];
                    return (ValueGetter<TValue>)(Delegate)label;
                }
                throw new InvalidOperationException($"Surrogate data: column {column.Name} has no getter of type {typeof(TValue).Name}.");
            }
        }
    }
}
