using System.IO.Compression;
using System.Text;
using LLMML.MLNet.Transforms;
using LLMML.MLNet.Mapping;
using LLMML.MLNet.Persistence;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace LLMML.MLNet.Tests.Bridge;

/// <summary>
/// The round trip through mlContext.Model.Save/Load relies on ML.NET internals (see MLNetModelBridge). These tests
/// are the alarm for a new ML.NET: if any of them fails after an upgrade, the bridge needs updating.
/// </summary>
public class MLNetModelBridgeTests
{
    private sealed class Point
    {
        public float A { get; set; }

        public float B { get; set; }

        public string Class { get; set; } = "";
    }

    private sealed class Prediction
    {
        public float[] Score { get; set; } = [];

        public uint PredictedLabel { get; set; }
    }

    private static readonly string[] Classes = ["left", "right", "top"];

    private static Point[] Points()
    {
        var r = new Random(7);
        return Enumerable.Range(0, 60).Select(i =>
        {
            int k = i % 3;
            float a = (k == 1 ? 10 : 0) + (float)r.NextDouble() * 3;
            float b = (k == 2 ? 40 : 0) + (float)r.NextDouble() * 6;
            return new Point { A = a, B = b, Class = Classes[k] };
        }).ToArray();
    }

    // ML.NET part: concatenate + min-max normalise (learned state) + key-map the label; LLMML part: the centroid classifier.
    private static (ITransformer Model, IDataView Data) FitPipeline(MLContext ml)
    {
        var data = ml.Data.LoadFromEnumerable(Points());
        var prep = ml.Transforms.Concatenate("Features", "A", "B")
            .Append(ml.Transforms.NormalizeMinMax("Features"))
            .Append(ml.Transforms.Conversion.MapValueToKey("Label", "Class", keyOrdinality: Microsoft.ML.Transforms.ValueToKeyMappingEstimator.KeyOrdinality.ByValue))
            .Fit(data);
        var prepared = prep.Transform(data);
        var classifier = CentroidClassifier.Fit(ml, prepared, "Features", "Label", ["left", "right", "top"]);
        return (prep.Append(classifier), data);
    }

    private static (float[][] Scores, uint[] Labels) Outputs(ITransformer model, IDataView data)
    {
        var scored = model.Transform(data);
        return (scored.GetColumn<float[]>("Score").ToArray(), scored.GetColumn<uint>("PredictedLabel").ToArray());
    }

    [Fact]
    public void Binds_every_MLNet_internal_it_needs()
    {
        var act = MLNetModelBridge.VerifyCompatibility;
        act.Should().NotThrow($"the bridge was written for Microsoft.ML {MLNetModelBridge.WrittenFor}; a failure lists the internals that changed");
        var version = MLNetModelBridge.InformationalVersion(typeof(MLContext).Assembly);
        version.Should().StartWith(MLNetModelBridge.WrittenFor, "re-check MLNetModelBridge against the new ML.NET before raising this");
        typeof(MLContext).Assembly.GetName().Version!.ToString().Should().Be("1.0.0.0",
            "ML.NET's assembly version never changes, which is why error messages print the informational version");
    }

    [Fact]
    public void A_pipeline_with_an_LLMML_transformer_round_trips_through_MLContext_Model()
    {
        var ml = new MLContext(seed: 1);
        var (model, data) = FitPipeline(ml);
        var before = Outputs(model, data);
        before.Labels.Distinct().Should().HaveCount(3, "the fixture should exercise every class");

        using var stream = new MemoryStream();
        ml.Model.Save(model, data.Schema, stream);
        stream.Position = 0;

        var fresh = new MLContext(seed: 2);
        var loaded = fresh.Llm().LoadModel(stream, out var inputSchema);

        inputSchema.Select(c => c.Name).Should().Equal("A", "B", "Class");
        var after = Outputs(loaded, fresh.Data.LoadFromEnumerable(Points()));
        after.Labels.Should().Equal(before.Labels);
        for (int i = 0; i < before.Scores.Length; i++) after.Scores[i].Should().Equal(before.Scores[i]);

        // The loaded chain also works row by row (IRowToRowMapper path).
        var engine = fresh.Model.CreatePredictionEngine<Point, Prediction>(loaded);
        var p = engine.Predict(Points()[4]);
        p.PredictedLabel.Should().Be(before.Labels[4]);
        p.Score.Should().Equal(before.Scores[4]);
    }

    [Fact]
    public void Loading_in_an_unregistered_context_fails_loudly()
    {
        var ml = new MLContext(seed: 1);
        var (model, data) = FitPipeline(ml);
        using var stream = new MemoryStream();
        ml.Model.Save(model, data.Schema, stream);
        stream.Position = 0;

        var act = () => new MLContext().Model.Load(stream, out _);

        act.Should().Throw<Exception>("ML.NET cannot find the LLMML loader until mlContext.Llm() registers it")
            .Which.ToString().Should().Contain("Couldn't load model");
    }

    [Fact]
    public void A_corrupted_LLMML_entry_inside_an_MLNet_model_is_rejected()
    {
        var ml = new MLContext(seed: 1);
        var (model, data) = FitPipeline(ml);
        using var stream = new MemoryStream();
        ml.Model.Save(model, data.Schema, stream);

        var corrupted = CorruptLlmmlEntry(stream.ToArray());
        var fresh = new MLContext();
        var act = () => fresh.Llm().LoadModel(new MemoryStream(corrupted), out _);

        // ML.NET wraps loader exceptions; LoadModel hands ours over unwrapped, naming the entry.
        act.Should().Throw<InvalidDataException>().Where(e => Flatten(e).Contains("ML.NET model entry 'LLMML.MLNet.Tests.Bridge.CentroidClassifier")
            && (Flatten(e).Contains("checksum") || Flatten(e).Contains("cannot be decompressed") || Flatten(e).Contains("zip")),
            "the archive is validated before any transformer is built");
    }

    [Fact]
    public void The_transformer_saves_and_loads_alone_and_rejects_other_components()
    {
        var ml = new MLContext(seed: 1);
        var (model, data) = FitPipeline(ml);
        var classifier = (CentroidClassifier)((IEnumerable<ITransformer>)model).Last();
        var path = Path.Combine(Path.GetTempPath(), $"llmml-centroid-{Guid.NewGuid():N}.zip");
        try
        {
            classifier.Save(path);
            var back = LlmModels.Load<CentroidClassifier>(new MLContext(), path);
            var prepared = ((IEnumerable<ITransformer>)model).First().Transform(data);
            Outputs(back, prepared).Labels.Should().Equal(Outputs(classifier, prepared).Labels);

            new LLMML.Foundation.Persistence.ModelArchive("Other.Component", 1).Save(path);
            var wrong = () => LlmModels.Load<CentroidClassifier>(new MLContext(), path);
            wrong.Should().Throw<InvalidDataException>().WithMessage("*'Other.Component'*not a 'LLMML.Tests.CentroidClassifier'*");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Estimators_can_describe_added_columns_as_a_schema_shape()
    {
        var ml = new MLContext();
        var input = SchemaShapeOf(ml, ml.Data.LoadFromEnumerable(Points()));
        var shape = EstimatorSchemas.Extend(input, [BatchInputColumn.Create<float>("A")],
            [BatchOutputColumn.FloatVector("Score", 3), BatchOutputColumn.Key("PredictedLabel", ["a", "b", "c"])], "test");

        shape.Select(c => c.Name).Should().BeEquivalentTo("A", "B", "Class", "Score", "PredictedLabel");
        var score = shape.Single(c => c.Name == "Score");
        score.Kind.Should().Be(SchemaShape.Column.VectorKind.Vector);
        score.ItemType.Should().Be(NumberDataViewType.Single);
        shape.Single(c => c.Name == "PredictedLabel").IsKey.Should().BeTrue();

        var missing = () => EstimatorSchemas.Extend(input, [BatchInputColumn.Text("Prompt")], [], "scorer");
        missing.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*scorer*'Prompt'*not found*");
        var mistyped = () => EstimatorSchemas.Extend(input, [BatchInputColumn.Text("A")], [], "scorer");
        mistyped.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'A' must be text*");
    }

    private static SchemaShape SchemaShapeOf(MLContext ml, IDataView data) =>
        ml.Transforms.CopyColumns("A2", "A").GetOutputSchema(MLNetModelBridge.ToSchemaShape(data.Schema)) is var s
            ? new SchemaShape(s.Where(c => c.Name != "A2"))
            : throw new InvalidOperationException();

    private static string Flatten(Exception e)
    {
        var sb = new StringBuilder();
        for (Exception? x = e; x is not null; x = x.InnerException) sb.Append(x.Message).Append(" | ");
        return sb.ToString();
    }

    // Flips one byte near the end of the ML.NET zip entry that holds the LLMML archive (inside the archive's data).
    private static byte[] CorruptLlmmlEntry(byte[] model)
    {
        using var input = new ZipArchive(new MemoryStream(model));
        var output = new MemoryStream();
        bool done = false;
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var e in input.Entries)
            {
                using var s = e.Open();
                using var ms = new MemoryStream();
                s.CopyTo(ms);
                var bytes = ms.ToArray();
                if (!done && Encoding.ASCII.GetString(bytes).Contains("LLMMLARC"))
                {
                    int at = Encoding.ASCII.GetString(bytes).LastIndexOf("tensors.safetensors", StringComparison.Ordinal) - 200;
                    bytes[at] ^= 0x5A;
                    done = true;
                }
                using var o = zip.CreateEntry(e.FullName).Open();
                o.Write(bytes);
            }
        }
        done.Should().BeTrue("the saved ML.NET model should contain an LLMML entry");
        return output.ToArray();
    }
}
