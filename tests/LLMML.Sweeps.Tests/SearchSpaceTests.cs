using System.Text.Json.Nodes;
using LLMML.Sweeps.SearchSpaces;

namespace LLMML.Sweeps.Tests;

public enum Mode { Fast, Careful, Thorough }

[Flags]
public enum Groups { None = 0, A = 1, B = 2, C = 4 }

public sealed class InnerOptions
{
    public double Alpha { get; set; } = 0.85;
}

public sealed class ToyOptions
{
    public double LearningRate { get; set; } = 0.01;
    public int Rank { get; set; } = 4;
    public Mode Mode { get; set; } = Mode.Careful;
    public double? Fraction { get; set; }
    public Groups Groups { get; set; } = Groups.A | Groups.B;
    public IReadOnlyList<Mode> Modes { get; set; } = [Mode.Fast];
    public InnerOptions Inner { get; set; } = new();
    public string ReadOnly => "x";
}

public class SearchSpaceTests
{
    [Fact]
    public void Grid_options_are_the_grid_points_created_as_options_in_order()
    {
        var space = new SearchSpace<ToyOptions>().Choice("Mode", Mode.Fast, Mode.Careful).Integer("Rank", 1, 3);
        var options = space.GridOptions();
        options.Select(o => (o.Mode, o.Rank)).Should().Equal((Mode.Fast, 1), (Mode.Fast, 2), (Mode.Fast, 3), (Mode.Careful, 1), (Mode.Careful, 2), (Mode.Careful, 3));
        options.Should().OnlyContain(o => o.LearningRate == 0.01, "parameters outside the space keep the options' own values");
    }

    [Fact]
    public void Sampled_options_are_distinct_in_bounds_reproducible_and_no_more_than_a_finite_space_holds()
    {
        var space = new SearchSpace<ToyOptions>().LogUniform("LearningRate", 1e-4, 1e-1).Integer("Rank", 1, 8);
        var a = space.SampleOptions(20, seed: 3);
        a.Should().HaveCount(20);
        a.Should().OnlyContain(o => o.LearningRate >= 1e-4 && o.LearningRate <= 1e-1 && o.Rank >= 1 && o.Rank <= 8);
        a.Select(o => (o.LearningRate, o.Rank)).Distinct().Should().HaveCount(20);
        space.SampleOptions(20, seed: 3).Select(o => (o.LearningRate, o.Rank)).Should().Equal(a.Select(o => (o.LearningRate, o.Rank)));
        var finite = new SearchSpace<ToyOptions>().Choice("Mode", Mode.Fast, Mode.Careful).Integer("Rank", 1, 3);
        finite.SampleOptions(50, seed: 1).Select(o => (o.Mode, o.Rank)).Should().BeEquivalentTo(finite.GridOptions().Select(o => (o.Mode, o.Rank)),
            "six points exist, so sampling fifty distinct ones finds exactly those six");
        var none = () => finite.SampleOptions(0);
        none.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Uniform_and_log_uniform_map_the_unit_interval_onto_their_range()
    {
        var space = new SearchSpace().Uniform("u", -5, 10).LogUniform("l", 1e-4, 1);
        var low = space.Sample([0, 0]);
        var mid = space.Sample([0.5, 0.5]);
        var high = space.Sample([1, 1]);
        low.GetDouble("u").Should().Be(-5);
        high.GetDouble("u").Should().Be(10);
        mid.GetDouble("u").Should().BeApproximately(2.5, 1e-12);
        low.GetDouble("l").Should().BeApproximately(1e-4, 1e-16);
        mid.GetDouble("l").Should().BeApproximately(1e-2, 1e-12, "the log-uniform midpoint is the geometric mean");
        high.GetDouble("l").Should().BeApproximately(1, 1e-12);
    }

    [Fact]
    public void Each_integer_and_each_choice_owns_an_equal_share_of_the_unit_interval()
    {
        var space = new SearchSpace().Integer("i", 1, 4).Choice("c", "a", "b", "c");
        var counts = new Dictionary<string, int>();
        for (int k = 0; k < 1200; k++)
        {
            double u = (k + 0.5) / 1200;
            var p = space.Sample([u, u]);
            var key = $"{p.Get<int>("i")}";
            counts[key] = counts.GetValueOrDefault(key) + 1;
            var c = p.Get<string>("c");
            counts[c] = counts.GetValueOrDefault(c) + 1;
        }
        counts.Should().BeEquivalentTo(new Dictionary<string, int> { ["1"] = 300, ["2"] = 300, ["3"] = 300, ["4"] = 300, ["a"] = 400, ["b"] = 400, ["c"] = 400 });
    }

    [Fact]
    public void A_point_maps_back_to_itself_through_the_feature_space()
    {
        var space = new SearchSpace().Uniform("u", 0, 3).LogUniform("l", 0.1, 10).Integer("i", 2, 9, logBase: true).Choice("c", 1, "two", true);
        var random = new Random(3);
        for (int k = 0; k < 200; k++)
        {
            var p = space.Sample(Enumerable.Range(0, 4).Select(_ => random.NextDouble()).ToArray());
            var back = space.Sample(space.MappingToFeatureSpace(p));
            back.GetDouble("u").Should().BeApproximately(p.GetDouble("u"), 1e-12);
            back.GetDouble("l").Should().BeApproximately(p.GetDouble("l"), 1e-12 * p.GetDouble("l"));
            back["i"]!.ToJsonString().Should().Be(p["i"]!.ToJsonString());
            back["c"]!.ToJsonString().Should().Be(p["c"]!.ToJsonString());
        }
    }

    [Fact]
    public void Conditional_parameters_are_absent_unless_their_parent_takes_a_listed_value()
    {
        var space = new SearchSpace().Choice("method", "lora", "prompt")
            .AddConditional("rank", new UniformIntOption(1, 3), "method", "lora");
        space.Sample([0.1, 0.9]).ToString().Should().Be("{\"method\":\"lora\",\"rank\":3}");
        space.Sample([0.9, 0.9]).ToString().Should().Be("{\"method\":\"prompt\"}");
        // Grid: three lora points and one prompt point (the prompt points differing only in the inactive rank are one).
        space.Grid().Select(p => p.ToString()).Should().Equal(
            "{\"method\":\"lora\",\"rank\":1}", "{\"method\":\"lora\",\"rank\":2}", "{\"method\":\"lora\",\"rank\":3}", "{\"method\":\"prompt\"}");
    }

    [Fact]
    public void Nested_spaces_take_their_own_dimensions_and_produce_nested_points()
    {
        var space = new SearchSpace().Uniform("a", 0, 1).Add("inner", new SearchSpace().Uniform("b", 0, 2).Choice("c", "x", "y"));
        space.FeatureSpaceDim.Should().Be(3);
        var p = space.Sample([0.5, 0.25, 0.75]);
        p.GetNested("inner").GetDouble("b").Should().Be(0.5);
        p.GetNested("inner").Get<string>("c").Should().Be("y");
        p.Flatten().Select(kv => kv.Key).Should().Equal("a", "inner.b", "inner.c");
    }

    [Fact]
    public void A_typed_space_takes_its_defaults_from_the_options_class_and_sets_proposed_values()
    {
        var space = new SearchSpace<ToyOptions>()
            .LogUniform("LearningRate", 1e-4, 1)
            .Integer("Rank", 1, 16)
            .Choice("Mode", Mode.Fast, Mode.Careful, Mode.Thorough)
            .Uniform("Fraction", 0.1, 0.5)
            .Choice("Groups", Groups.A, Groups.A | Groups.B, Groups.C)
            .Choice("Modes", new[] { Mode.Fast }, new[] { Mode.Fast, Mode.Thorough })
            .Add("Inner", new SearchSpace().Uniform("Alpha", 0.5, 0.95));
        var defaults = space.DefaultParameter;
        defaults.GetDouble("LearningRate").Should().Be(0.01);
        defaults.Get<int>("Rank").Should().Be(4);
        defaults.Get<Mode>("Mode").Should().Be(Mode.Careful);
        defaults.GetDouble("Fraction").Should().BeApproximately(0.3, 1e-12, "a null option falls back to the middle of its range");
        defaults.Get<Groups>("Groups").Should().Be(Groups.A | Groups.B);
        defaults.GetNested("Inner").GetDouble("Alpha").Should().Be(0.85);

        var options = space.Create(space.Sample([1, 0, 1, 0, 0.9, 0.9, 0]));
        options.LearningRate.Should().BeApproximately(1, 1e-12);
        options.Rank.Should().Be(1);
        options.Mode.Should().Be(Mode.Thorough);
        options.Fraction.Should().Be(0.1);
        options.Groups.Should().Be(Groups.C);
        options.Modes.Should().Equal(Mode.Fast, Mode.Thorough);
        options.Inner.Alpha.Should().Be(0.5);
    }

    [Fact]
    public void A_typed_space_binds_the_public_fields_of_MLNet_trainer_options()
    {
        var space = new SearchSpace<Microsoft.ML.Trainers.SdcaMaximumEntropyMulticlassTrainer.Options>()
            .LogUniform("L2Regularization", 1e-4, 1).Integer("MaximumNumberOfIterations", 5, 50);
        var options = space.Create(space.Sample([0.5, 1]));
        options.L2Regularization.Should().BeApproximately(0.01f, 1e-6f);
        options.MaximumNumberOfIterations.Should().Be(50);
        var unknown = () => space.Uniform("L3Regularization", 0, 1);
        unknown.Should().Throw<ArgumentException>().WithMessage("Parameter 'L3Regularization': Options has no settable option*L2Regularization*");
    }

    [Fact]
    public void The_same_space_in_JSON_proposes_the_same_points()
    {
        var json = JsonNode.Parse("""
            {
              "LearningRate": { "logUniform": [1e-4, 1] },
              "Rank": { "int": [1, 16], "default": 8 },
              "Mode": { "choice": ["Fast", "Careful", "Thorough"] },
              "Fraction": { "uniform": [0.1, 0.5], "when": { "Mode": ["Thorough"] } },
              "Inner": { "nested": { "Alpha": { "uniform": [0.5, 0.95] } } }
            }
            """)!.AsObject();
        var fromJson = SearchSpace<ToyOptions>.FromJson(json);
        var inCode = new SearchSpace<ToyOptions>()
            .LogUniform("LearningRate", 1e-4, 1).Integer("Rank", 1, 16, defaultValue: 8).Choice("Mode", "Fast", "Careful", "Thorough")
            .AddConditional("Fraction", new UniformDoubleOption(0.1, 0.5), "Mode", "Thorough")
            .Add("Inner", new SearchSpace().Uniform("Alpha", 0.5, 0.95));
        var random = new Random(7);
        for (int k = 0; k < 50; k++)
        {
            var x = Enumerable.Range(0, 5).Select(_ => random.NextDouble()).ToArray();
            fromJson.Sample(x).Should().Be(inCode.Sample(x));
        }
        fromJson.DefaultParameter.Should().Be(inCode.DefaultParameter);
        fromJson.DefaultParameter.Get<int>("Rank").Should().Be(8);
    }

    [Theory]
    [InlineData("""{ "Rate": { "uniform": [1, 1] } }""", "'Rate': empty range")]
    [InlineData("""{ "Rate": { "uniform": [2, 1] } }""", "'Rate': empty range")]
    [InlineData("""{ "Rate": { "logUniform": [0, 1] } }""", "'Rate': log-uniform range [0, 1] must be above 0")]
    [InlineData("""{ "Rank": { "int": [1, 8], "log": true, "default": 9 } }""", "'Rank': default 9 is outside [1, 8]")]
    [InlineData("""{ "Rank": { "int": [5, 4] } }""", "'Rank': empty range")]
    [InlineData("""{ "Mode": { "choice": [] } }""", "'Mode': a choice needs at least one value")]
    [InlineData("""{ "Mode": { "between": [1, 2] } }""", "'Mode': give exactly one of")]
    [InlineData("""{ "Rank": { "int": [1, 8], "when": { "Method": ["a"] } } }""", "'Rank': its condition names 'Method'")]
    public void Bad_search_spaces_fail_naming_the_parameter(string json, string expected)
    {
        var act = () => SearchSpaceJson.Read(json);
        act.Should().Throw<Exception>().Where(e => e.Message.Contains(expected), $"the message should contain \"{expected}\"")
            .Which.Should().Match<Exception>(e => e is ArgumentException || e is InvalidDataException);
    }

    [Fact]
    public void A_wide_integer_range_grids_evenly_with_both_ends_and_a_narrow_one_fully()
    {
        new SearchSpace().Integer("i", 0, 100).Grid(5).Select(p => p.Get<int>("i")).Should().Equal(0, 25, 50, 75, 100);
        new SearchSpace().Integer("i", 3, 6).Grid(5).Select(p => p.Get<int>("i")).Should().Equal(3, 4, 5, 6);
        new SearchSpace().Integer("i", 1, 1000, logBase: true).Grid(4).Select(p => p.Get<int>("i")).Should().Equal(1, 10, 100, 1000);
    }

    [Fact]
    public void Reading_a_value_as_the_wrong_type_fails_naming_the_parameter()
    {
        var p = new SearchSpace().Choice("mode", "fast").DefaultParameter;
        var act = () => p.Get<int>("mode");
        act.Should().Throw<ArgumentException>().WithMessage("Parameter 'mode' = \"fast\" cannot be read as Int32*");
        var missing = () => p.GetDouble("rank");
        missing.Should().Throw<KeyNotFoundException>().WithMessage("Parameter 'rank' is not set*");
    }

    [Fact]
    public void An_unknown_option_name_fails_naming_it_and_listing_the_options()
    {
        var act = () => new SearchSpace<ToyOptions>().Integer("Rnak", 1, 8);
        act.Should().Throw<ArgumentException>().WithMessage("Parameter 'Rnak': ToyOptions has no settable option 'Rnak'*Rank*");
        var readOnly = () => new SearchSpace<ToyOptions>().Choice("ReadOnly", "x");
        readOnly.Should().Throw<ArgumentException>().WithMessage("*'ReadOnly'*");
        var nested = () => new SearchSpace<ToyOptions>().Add("Inner", new SearchSpace().Uniform("Alpah", 0, 1));
        nested.Should().Throw<ArgumentException>().WithMessage("Parameter 'Inner.Alpah': InnerOptions has no settable option 'Alpah'*");
        var fromJson = () => SearchSpace<ToyOptions>.FromJson(JsonNode.Parse("""{ "Rnak": { "int": [1, 8] } }""")!.AsObject());
        fromJson.Should().Throw<ArgumentException>().WithMessage("*'Rnak'*");
    }
}
