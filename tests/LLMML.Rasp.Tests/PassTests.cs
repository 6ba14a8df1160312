using LLMML.Rasp.Compiler;
using LLMML.Rasp.Evaluation;
using LLMML.Rasp.Ir;
using LLMML.Rasp.Language;
using LLMML.Rasp.Passes;
using static LLMML.Rasp.Language.RaspOps;

namespace LLMML.Rasp.Tests;

/// <summary>Each compiler pass run on its own, against layouts, embeddings and placements worked out by hand.</summary>
public class PassTests
{
    private static readonly RaspValue[] Ab = RandomInputs.Chars("ab");
    private static RaspCompilerOptions Options => new() { Vocabulary = Ab, MaxLength = 3 };

    private static (ProgramGraph Graph, IReadOnlyDictionary<SOp, ValueSet> Sets) Analyse(SOp program)
    {
        var graph = ProgramGraph.Build(program);
        return (graph, ValueSetInference.Infer(graph, Options));
    }

    [Fact]
    public void The_layout_is_one_then_tokens_then_indices_then_each_sop_with_selector_width_scratch_first()
    {
        var length = SelectorWidth(Select(Tokens, Tokens, Comparison.TRUE)).Named("length");
        var (graph, sets) = Analyse(length);
        var layout = ResidualLayoutBuilder.Build(graph, sets, Options);
        layout.Directions.Select(d => d.Label).Should().Equal(
            "one", "tokens:a", "tokens:b", "tokens:BOS", "indices:0", "indices:1", "indices:2",
            "length_selector_width_attn_output", "length:0", "length:1", "length:2", "length:3");
        layout.Variable("length").Should().BeEquivalentTo(new { Start = 8, Count = 4, Encoding = RaspEncoding.Categorical });
    }

    [Fact]
    public void Embeddings_write_one_and_the_token_and_the_index_and_every_full_value()
    {
        var program = SequenceMap((t, _) => t, Tokens, Full("z").Named("f"), "first").Named("y");
        var (graph, sets) = Analyse(program);
        var layout = ResidualLayoutBuilder.Build(graph, sets, Options);
        var e = EmbeddingBuilder.Build(graph, layout, Options);
        int Dim(string label) => layout.Directions.Select(d => d.Label).ToList().IndexOf(label);
        double[] Row(double[,] m, int r) => Enumerable.Range(0, m.GetLength(1)).Select(j => m[r, j]).ToArray();
        double[] OneHot(params string[] labels) => Enumerable.Range(0, layout.Width).Select(j => labels.Select(Dim).Contains(j) ? 1.0 : 0).ToArray();

        e.Token.GetLength(0).Should().Be(4); // BOS, a, b, PAD
        Row(e.Token, 0).Should().Equal(OneHot("one", "tokens:BOS"));
        Row(e.Token, 2).Should().Equal(OneHot("one", "tokens:b"));
        Row(e.Token, 3).Should().OnlyContain(x => x == 0);
        Row(e.Position, 0).Should().OnlyContain(x => x == 0);
        Row(e.Position, 3).Should().Equal(OneHot("indices:2", "f:z"));
    }

    [Fact]
    public void Layers_follow_the_longest_path_and_independent_nodes_share_a_sublayer()
    {
        var a = Map(x => x == "a", Tokens).Named("is_a");
        var b = Map(x => x == "b", Tokens).Named("is_b");
        var both = SequenceMap((x, y) => x + y, a, b, "sum").Named("both");            // MLP after two MLPs: layer 1
        var prev = Aggregate(Select(Indices, Indices, (k, q) => k == q - 1, "prev"), both, 0).Named("prev");
        var (graph, sets) = Analyse(prev);
        var options = new RaspCompilerOptions { Vocabulary = Ab, MaxLength = 3, FuseMaps = false };
        var blocks = BlockBuilder.BuildAll(graph, sets, options);
        var layers = LayerAllocator.Allocate(graph, blocks);
        layers.Should().HaveCount(3);
        layers[0].Mlps.Select(m => m.Node).Should().BeEquivalentTo(["is_a", "is_b"]);
        layers[0].Heads.Should().BeEmpty();
        layers[1].Mlps.Select(m => m.Node).Should().Equal("both");
        layers[2].Heads.Select(h => h.Node).Should().Equal("prev");
        layers[2].Mlps.Should().BeEmpty();
    }

    [Fact]
    public void Map_fusion_leaves_the_users_program_unchanged_and_computes_the_same_values()
    {
        var inner = SequenceMap((x, y) => x == y ? 1 : 0, Tokens, Map(x => x == "a" ? "b" : "a", Tokens).Named("flip"), "eq").Named("inner");
        var outer = Map(x => x + 10, Map(x => x * 2, inner).Named("twice")).Named("outer");
        var before = ExpressionOrder.Of(outer).Select(e => (e.Label, (e as SOp)?.Encoding)).ToList();
        var fused = MapFusion.Apply(outer);
        ExpressionOrder.Of(outer).Select(e => (e.Label, (e as SOp)?.Encoding)).Should().Equal(before);
        fused.Should().BeOfType<SequenceMapSOp>().Which.Label.Should().Be("outer");
        ExpressionOrder.Of(fused).OfType<SOp>().Select(s => s.Label).Should().NotContain(["inner", "twice"]);
        foreach (var input in RandomInputs.Generate(Ab, 3, 5, seed: 2))
            RaspEvaluator.Evaluate(fused, input).Should().Equal(RaspEvaluator.Evaluate(outer, input));
    }
}
