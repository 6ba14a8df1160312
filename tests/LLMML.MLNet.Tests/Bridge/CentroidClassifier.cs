using LLMML.Foundation.Persistence;
using LLMML.MLNet.Transforms;
using LLMML.MLNet.Evaluation;
using LLMML.MLNet.Mapping;
using LLMML.MLNet.Persistence;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace LLMML.MLNet.Tests.Bridge;

/// <summary>
/// A small stateful LLMML-style transformer for the tests: nearest-centroid classification of a float vector,
/// Score = softmax(−squared distance), PredictedLabel = closest class. Its state (centroids) goes through the archive.
/// </summary>
public sealed class CentroidClassifier : BatchedTransformerBase, IArchivableTransformer<CentroidClassifier>
{
    public sealed record Options(string FeatureColumn, string[] Classes, int BatchSize);

    private readonly Options _options;
    private readonly float[][] _centroids;

    public CentroidClassifier(MLContext mlContext, Options options, float[][] centroids) : base(mlContext)
    {
        if (centroids.Length != options.Classes.Length) throw new ArgumentException("one centroid per class");
        _options = options;
        _centroids = centroids;
    }

    public static string ComponentType => "LLMML.Tests.CentroidClassifier";

    public int Dimension => _centroids[0].Length;

    /// <summary>Fits centroids as per-class means of the feature column.</summary>
    public static CentroidClassifier Fit(MLContext ml, IDataView data, string featureColumn, string labelColumn, string[] classes, int batchSize = 4)
    {
        var features = data.GetColumn<float[]>(featureColumn).ToArray();
        var labels = data.GetColumn<uint>(labelColumn).ToArray();
        int d = features[0].Length;
        var sums = classes.Select(_ => new float[d]).ToArray();
        var counts = new int[classes.Length];
        for (int i = 0; i < features.Length; i++)
        {
            int k = (int)labels[i] - 1;
            counts[k]++;
            for (int j = 0; j < d; j++) sums[k][j] += features[i][j];
        }
        for (int k = 0; k < classes.Length; k++)
            for (int j = 0; j < d; j++) sums[k][j] /= Math.Max(1, counts[k]);
        return new CentroidClassifier(ml, new Options(featureColumn, classes, batchSize), sums);
    }

    protected override BatchedMapping CreateMapping(DataViewSchema inputSchema) => new(
        "centroid classifier",
        [BatchInputColumn.Create<VBuffer<float>>(_options.FeatureColumn, t => t is VectorDataViewType { Size: var s } && s == Dimension, $"a vector of {Dimension} Single")],
        ClosedSetScoring.OutputColumns(_options.Classes),
        (input, output) =>
        {
            var features = input.Get<VBuffer<float>>(_options.FeatureColumn);
            var scores = output.Get<VBuffer<float>>(ClosedSetScoring.ScoreColumn);
            var predicted = output.Get<uint>(ClosedSetScoring.PredictedLabelColumn);
            for (int i = 0; i < input.Count; i++)
            {
                var x = features[i].DenseValues().ToArray();
                var logits = _centroids.Select(c => -(double)c.Zip(x, (a, b) => (a - b) * (a - b)).Sum()).ToArray();
                (scores[i], predicted[i]) = ClosedSetScoring.ToScoreAndLabel(logits);
            }
        },
        _options.BatchSize);

    public override ModelArchive ToArchive() => ModelArchive.Create(ComponentType, 1, _options,
        new Dictionary<string, TensorData>
        {
            ["centroids"] = TensorData.FromFloat32(_centroids.SelectMany(c => c).ToArray(), [_centroids.Length, Dimension]),
        });

    public static CentroidClassifier FromArchive(MLContext mlContext, ModelArchive archive)
    {
        archive.RequireComponent(ComponentType, 1, 1);
        var options = archive.GetOptions<Options>();
        var tensor = archive.GetTensor("centroids", TensorDType.Float32, options.Classes.Length, -1);
        var flat = tensor.ToFloat32Array();
        int d = (int)tensor.Shape[1];
        var centroids = Enumerable.Range(0, options.Classes.Length).Select(k => flat.AsSpan(k * d, d).ToArray()).ToArray();
        return new CentroidClassifier(mlContext, options, centroids);
    }
}
