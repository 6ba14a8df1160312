using System.Text.Json.Nodes;
using LLMML.Complexity.Strategies;
using LLMML.Eigenpruning.Pruning;
using LLMML.Sweeps.SearchSpaces;

namespace LLMML.Complexity.Tests.Strategies;

/// <summary>The strategies' settings lists: the hand-set grids unchanged, and the same lists drawn from a search space.</summary>
public class StrategySettingsTests
{
    [Fact]
    public void The_default_LoRA_grid_is_targets_by_ranks_by_bits_at_one_learning_rate_in_that_order()
    {
        var expected = new List<string>();
        foreach (var t in new[] { "all", "qv" })
            foreach (var r in new[] { 1, 2, 4, 8, 16 })
                foreach (var b in new[] { 16, 8, 4, 2 })
                    expected.Add($"{t} r={r} bits={b} lr=0.001");
        var strategy = new LoraStrategy();
        strategy.Settings.Select(s => s.ToString()).Should().Equal(expected);
        strategy.Ranks.Should().Equal(1, 2, 4, 8, 16);
        strategy.BitWidths.Should().Equal(16, 8, 4, 2);
        strategy.Targets.Should().Equal(LoraTargets.AllProjections, LoraTargets.QueryValue);
        strategy.LearningRate.Should().Be(1e-3);
        new LoraStrategy([2], [4], 1e-2, [LoraTargets.QueryValue]).Settings.Select(s => s.ToString()).Should().Equal("qv r=2 bits=4 lr=0.01");
    }

    [Fact]
    public void The_default_eigenprune_mask_grid_is_ablations_by_fractions()
    {
        new EigenpruneMaskStrategy().Settings.Select(s => s.ToString()).Should().Equal(
            "f=0.01 zero", "f=0.02 zero", "f=0.05 zero", "f=0.1 zero", "f=0.2 zero",
            "f=0.01 mean", "f=0.02 mean", "f=0.05 mean", "f=0.1 mean", "f=0.2 mean");
    }

    [Fact]
    public void A_LoRA_search_space_of_todays_choices_draws_exactly_todays_grid()
    {
        var json = JsonNode.Parse("""
            { "Targets": { "choice": ["AllProjections", "QueryValue"] }, "Rank": { "choice": [1, 2, 4, 8, 16] },
              "Bits": { "choice": [16, 8, 4, 2] }, "LearningRate": { "choice": [0.001] } }
            """)!.AsObject();
        var drawn = SearchSpace<LoraSetting>.FromJson(json).GridOptions();
        drawn.Select(s => s.ToString()).Should().Equal(new LoraStrategy().Settings.Select(s => s.ToString()));
        new LoraStrategy(drawn).Settings.Select(s => s.ToString()).Should().Equal(new LoraStrategy().Settings.Select(s => s.ToString()));
    }

    [Fact]
    public void A_LoRA_space_with_a_log_range_of_learning_rates_draws_each_rate_for_each_rank()
    {
        var json = JsonNode.Parse("""
            { "Rank": { "choice": [1, 4] }, "Bits": { "choice": [8] }, "LearningRate": { "logUniform": [0.0001, 0.01] } }
            """)!.AsObject();
        var drawn = SearchSpace<LoraSetting>.FromJson(json).GridOptions(steps: 3);
        drawn.Should().HaveCount(6);
        drawn.Select(s => s.Rank).Should().Equal(1, 1, 1, 4, 4, 4);
        drawn.Should().OnlyContain(s => s.Bits == 8 && s.Targets == LoraTargets.AllProjections, "unnamed options keep LoraSetting's defaults");
        drawn.Select(s => s.LearningRate).Should().Equal([1e-4, 1e-3, 1e-2, 1e-4, 1e-3, 1e-2], (a, b) => Math.Abs(a - b) < 1e-12 * b);
        var strategy = new LoraStrategy(drawn);
        strategy.Ranks.Should().Equal(1, 4);
        strategy.LearningRate.Should().BeApproximately(1e-4, 1e-16);
    }

    [Fact]
    public void An_eigenprune_mask_space_draws_exactly_the_fractions_and_ablations_it_lists()
    {
        var json = JsonNode.Parse("""{ "Ablation": { "choice": ["Mean"] }, "Fraction": { "choice": [0.05, 0.2] } }""")!.AsObject();
        var drawn = SearchSpace<EigenpruneMaskSetting>.FromJson(json).GridOptions();
        drawn.Select(s => s.ToString()).Should().Equal("f=0.05 mean", "f=0.2 mean");
        new EigenpruneMaskStrategy(drawn).Ablations.Should().Equal(Ablation.Mean);
    }

    [Fact]
    public void Bad_settings_fail_naming_the_setting()
    {
        var act = () => new LoraStrategy([new LoraSetting { Rank = 0 }]);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*r=0*rank must be at least 1*");
        var twice = () => new LoraStrategy([new LoraSetting { Rank = 2 }, new LoraSetting { Rank = 2 }]);
        twice.Should().Throw<ArgumentException>().WithMessage("*all r=2 bits=16 lr=0.001 appears twice*");
        var bits = () => new LoraStrategy([new LoraSetting { Bits = 12 }]);
        bits.Should().Throw<ArgumentException>();
        var fraction = () => new EigenpruneMaskStrategy([new EigenpruneMaskSetting { Fraction = 1.5 }]);
        fraction.Should().Throw<ArgumentException>();
        var unknown = () => SearchSpace<LoraSetting>.FromJson(JsonNode.Parse("""{ "Rnak": { "choice": [1] } }""")!.AsObject());
        unknown.Should().Throw<ArgumentException>().WithMessage("*Rnak*");
    }
}
