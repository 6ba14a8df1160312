using LLMML.LanguageModels.Generation;
using LLMML.LanguageModels.Tests.Modeling;

namespace LLMML.LanguageModels.Tests.Generation;

public class SamplingTests
{
    private static readonly int[][] Prompts = [[1, 2, 3], [4, 5]];

    [Fact]
    public void SameSeedSameSamplesDifferentSeedDifferentSamples()
    {
        using var model = TinyModels.Create("llama", seed: 21);
        IReadOnlyList<IReadOnlyList<int>> Run(long seed) => TokenGenerator.Generate(model, Prompts,
            new GenerationOptions { MaxNewTokens = 12, Temperature = 2.0, Seed = seed, StopTokenIds = [] });
        var a = Run(7);
        var b = Run(7);
        var c = Run(8);
        a.SelectMany(x => x).Should().Equal(b.SelectMany(x => x));
        a.SelectMany(x => x).Should().NotEqual(c.SelectMany(x => x));
    }

    [Fact]
    public void TopKOneAndTinyTopPAreGreedy()
    {
        using var model = TinyModels.Create("phi", seed: 22);
        var greedy = TokenGenerator.Generate(model, Prompts, new GenerationOptions { MaxNewTokens = 10, StopTokenIds = [] });
        var topK = TokenGenerator.Generate(model, Prompts, new GenerationOptions { MaxNewTokens = 10, Temperature = 5, TopK = 1, Seed = 3, StopTokenIds = [] });
        var topP = TokenGenerator.Generate(model, Prompts, new GenerationOptions { MaxNewTokens = 10, Temperature = 5, TopP = 1e-6, Seed = 3, StopTokenIds = [] });
        topK.SelectMany(x => x).Should().Equal(greedy.SelectMany(x => x));
        topP.SelectMany(x => x).Should().Equal(greedy.SelectMany(x => x));
    }

    [Fact]
    public void TopKRestrictsSamplesToTheKMostLikelyFirstTokens()
    {
        using var model = TinyModels.Create("gpt2", seed: 23);
        var prompt = new[] { new[] { 5, 6, 7 } };
        var logits = TinyModels.Logits(model, [5, 6, 7])[^1];
        var top3 = logits.Select((v, i) => (v, i)).OrderByDescending(p => p.v).Take(3).Select(p => p.i).ToHashSet();
        var firsts = Enumerable.Range(0, 40).Select(seed => TokenGenerator.Generate(model, prompt,
            new GenerationOptions { MaxNewTokens = 1, Temperature = 3, TopK = 3, Seed = seed, StopTokenIds = [] })[0][0]).ToList();
        firsts.Should().OnlyContain(t => top3.Contains(t));
        firsts.Distinct().Count().Should().BeGreaterThan(1);
    }

    [Fact]
    public void InvalidOptionsAreRejectedByName()
    {
        using var model = TinyModels.Create("gpt2");
        var act = () => TokenGenerator.Generate(model, Prompts, new GenerationOptions { TopP = 0 });
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*TopP*");
        var empty = () => TokenGenerator.Generate(model, [[]], new GenerationOptions());
        empty.Should().Throw<ArgumentException>().WithMessage("*Prompt 0 is empty*");
    }
}
