using LLMML.Citations.Features;
using LLMML.Citations.Transforms;
using LLMML.MLNet.Persistence;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace LLMML.Citations.Tests.Transforms;

public class CitationFeaturizerTests
{
    public sealed class Paper
    {
        public string PaperId { get; set; } = "";
        [VectorType] public string[] References { get; set; } = [];
        public string Field { get; set; } = "";
        public float Year { get; set; }
    }

    private static readonly Paper[] Training =
    [
        new() { PaperId = "a", References = [], Field = "IA", Year = 2019 },
        new() { PaperId = "b", References = ["a"], Field = "IA", Year = 2020 },
        new() { PaperId = "c", References = ["a", "b", "x"], Field = "ML", Year = 2021 },
        new() { PaperId = "d", References = ["c", "a"], Field = "ML", Year = 2022 },
        new() { PaperId = "e", References = ["d", "b"], Field = "IA", Year = 2022 },
    ];

    private static CitationFeaturizerOptions Options() => new()
    {
        FieldColumnName = "Field",
        YearColumnName = "Year",
        Features = CitationFeatureKinds.All,
    };

    private static float[][] Vectors(IDataView view, string column = "CitationFeatures") =>
        view.GetColumn<VBuffer<float>>(column).Select(v => v.DenseValues().ToArray()).ToArray();

    [Fact]
    public void Fit_builds_the_graph_from_rows_and_Transform_appends_the_graph_features_of_known_papers()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Training);
        var transformer = ml.Transforms.FeaturizeCitations(Options()).Fit(data);
        var g = transformer.Features.Graph;
        g.NodeCount.Should().Be(6, "x is known as a reference");
        g.Cites(g.IndexOf("c"), g.IndexOf("x")).Should().BeTrue();
        g.YearOf(g.IndexOf("d")).Should().Be(2022);
        g.FieldNameOf(g.IndexOf("e")).Should().Be("IA");

        var output = transformer.Transform(data);
        var slotNames = default(VBuffer<ReadOnlyMemory<char>>);
        output.Schema["CitationFeatures"].GetSlotNames(ref slotNames);
        slotNames.DenseValues().Select(s => s.ToString()).Should().Equal(transformer.FeatureNames);
        var vectors = Vectors(output);
        // Independent check of a few slots: a is cited by b, c, d; PageRank from the standalone computation.
        int citations = transformer.FeatureNames.ToList().IndexOf("citations");
        vectors[0][citations].Should().Be(3);
        var pr = PageRank.Compute(g);
        vectors[0][transformer.FeatureNames.ToList().IndexOf("pagerank")].Should().BeApproximately((float)pr[g.IndexOf("a")], 1e-7f);
        // Undefined values (nobody cites e) are 0, not NaN.
        vectors[4].Should().OnlyContain(v => !float.IsNaN(v));
    }

    [Fact]
    public void New_papers_are_scored_from_their_references_and_reference_only_papers_mix_both_sides()
    {
        var ml = new MLContext(seed: 1);
        var transformer = ml.Transforms.FeaturizeCitations(Options()).Fit(ml.Data.LoadFromEnumerable(Training));
        var names = transformer.FeatureNames.ToList();
        var unseen = new[]
        {
            new Paper { PaperId = "new", References = ["a", "c", "nowhere"] },
            new Paper { PaperId = "x", References = ["a"] },
        };
        var vectors = Vectors(transformer.Transform(ml.Data.LoadFromEnumerable(unseen)));

        var expected = new float[names.Count];
        var g = transformer.Features.Graph;
        NewPaperFeatures.Score(transformer.Features, [g.IndexOf("a"), g.IndexOf("c")], 3, expected);
        vectors[0].Should().Equal(expected);
        vectors[0][names.IndexOf("references")].Should().Be(3);
        vectors[0][names.IndexOf("reference_share:IA")].Should().BeApproximately(1f / 3, 1e-6f);
        vectors[0][names.IndexOf("citations")].Should().Be(0);

        // x is cited by c in the graph: its citation side comes from there, its references from the row.
        vectors[1][names.IndexOf("citations")].Should().Be(1);
        vectors[1][names.IndexOf("citation_share:ML")].Should().Be(1);
        vectors[1][names.IndexOf("references")].Should().Be(1);
        vectors[1][names.IndexOf("reference_share:IA")].Should().Be(1);
    }

    [Fact]
    public void A_text_references_column_works_like_a_vector_one()
    {
        var ml = new MLContext(seed: 1);
        var asText = Training.Select(p => new { p.PaperId, References = string.Join(", ", p.References), p.Field, p.Year }).ToArray();
        var fromText = ml.Transforms.FeaturizeCitations(Options()).Fit(ml.Data.LoadFromEnumerable(asText));
        var fromVector = ml.Transforms.FeaturizeCitations(Options()).Fit(ml.Data.LoadFromEnumerable(Training));
        Vectors(fromText.Transform(ml.Data.LoadFromEnumerable(asText))).Should().BeEquivalentTo(Vectors(fromVector.Transform(ml.Data.LoadFromEnumerable(Training))));
    }

    [Fact]
    public void Missing_or_mistyped_columns_are_named()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Training);
        var missing = () => ml.Transforms.FeaturizeCitations(new CitationFeaturizerOptions { PaperIdColumnName = "Id" }).Fit(data);
        missing.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'Id'*");
        var mistyped = () => ml.Transforms.FeaturizeCitations(new CitationFeaturizerOptions { YearColumnName = "Field" }).Fit(data);
        mistyped.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'Field'*number*");
    }

    [Fact]
    public void Saves_and_loads_alone_and_inside_an_mlnet_pipeline()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Training);
        var probe = ml.Data.LoadFromEnumerable(Training.Append(new Paper { PaperId = "new", References = ["e", "a"] }));
        var options = Options();
        options.TargetFields = ["ML"];
        options.Features = CitationFeatureKinds.Counts | CitationFeatureKinds.Hits | CitationFeatureKinds.ReferenceFieldShares;
        var pipeline = ml.Transforms.FeaturizeCitations(options).Append(ml.Transforms.NormalizeMinMax("Scaled", "CitationFeatures"));
        var model = pipeline.Fit(data);
        var before = Vectors(model.Transform(probe), "Scaled");
        var dir = Directory.CreateTempSubdirectory("llmml-cit-model-").FullName;
        try
        {
            var alone = Path.Combine(dir, "featurizer.llmml");
            model.LastTransformer.Should().NotBeNull();
            var featurizer = (CitationFeaturizerTransformer)((IEnumerable<ITransformer>)model).First();
            featurizer.Save(alone);
            var loaded = LlmModels.Load<CitationFeaturizerTransformer>(ml, alone);
            loaded.FeatureNames.Should().Equal("citations", "references", "hits_hub", "hits_authority", "reference_share:ML");
            Vectors(loaded.Transform(probe)).Should().BeEquivalentTo(Vectors(featurizer.Transform(probe)), o => o.WithStrictOrdering());

            var zip = Path.Combine(dir, "pipeline.zip");
            ml.Model.Save(model, data.Schema, zip);
            var other = new MLContext();
            MLNetModelBridge.Register(other);
            var reloaded = other.Model.Load(zip, out var schema);
            schema.Select(c => c.Name).Should().Contain("References");
            Vectors(reloaded.Transform(probe), "Scaled").Should().BeEquivalentTo(before, o => o.WithStrictOrdering());
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Composes_with_FeaturizeText_and_a_trainer_and_the_citations_help_on_a_homophilous_graph()
    {
        // Two communities that cite within themselves; their texts share most words, so text alone is weak.
        var rng = new Random(3);
        var papers = new List<(string Id, string Label, string Text, string[] Refs)>();
        for (int i = 0; i < 240; i++)
        {
            string label = i % 2 == 0 ? "left" : "right";
            var refs = Enumerable.Range(0, 4).Select(_ => rng.Next(0, i == 0 ? 1 : i)).Where(j => j % 2 == i % 2 && j != i).Distinct().Select(j => "p" + j).ToArray();
            var words = Enumerable.Range(0, 8).Select(_ => "w" + rng.Next(30)).Append(rng.NextDouble() < 0.55 ? label : "noise");
            papers.Add(("p" + i, label, string.Join(' ', words), refs));
        }
        var rows = papers.Select(p => new { PaperId = p.Id, References = p.Refs, Label = p.Label, Text = p.Text }).ToArray();
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(rows.Where((_, i) => i % 3 != 0));
        var test = ml.Data.LoadFromEnumerable(rows.Where((_, i) => i % 3 == 0));
        var textOnly = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.Text.FeaturizeText("Features", "Text"))
            .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(maximumNumberOfIterations: 30));
        var both = ml.Transforms.FeaturizeCitations(new CitationFeaturizerOptions
        {
            FieldColumnName = "Label",
            Features = CitationFeatureKinds.ReferenceFieldShares | CitationFeatureKinds.CitingFieldShares,
        })
            .Append(ml.Transforms.Conversion.MapValueToKey("Label"))
            .Append(ml.Transforms.Text.FeaturizeText("TextFeatures", "Text"))
            .Append(ml.Transforms.Concatenate("Features", "TextFeatures", "CitationFeatures"))
            .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(maximumNumberOfIterations: 30));
        var textMetrics = ml.MulticlassClassification.Evaluate(textOnly.Fit(train).Transform(test));
        var bothMetrics = ml.MulticlassClassification.Evaluate(both.Fit(train).Transform(test));
        bothMetrics.MicroAccuracy.Should().BeGreaterThan(textMetrics.MicroAccuracy + 0.1);
        bothMetrics.MicroAccuracy.Should().BeGreaterThan(0.9);
    }
}
