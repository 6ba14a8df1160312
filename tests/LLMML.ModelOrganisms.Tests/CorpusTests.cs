using System.Text.RegularExpressions;
using LLMML.MLNet.Tasks;
using LLMML.ModelOrganisms.Corpus;

namespace LLMML.ModelOrganisms.Tests;

public class CorpusTests
{
    private static IEnumerable<string> Lines(ISentenceSource source, int count, int seed = 7)
    {
        var random = new Random(seed);
        for (int k = 0; k < count; k++) yield return source.Next(random);
    }

    [Fact]
    public void PretrainingCorpusNeverUsesATaskFormat()
    {
        var corpus = OrganismRecipe.PretrainingCorpus();
        var random = new Random(3);
        for (int k = 0; k < 20_000; k++)
        {
            var line = corpus.NextLine(random);
            line.Should().NotContainAny(["+", "=", "What is the number of", "Are parenthesis here", "Answer:"]);
            Regex.IsMatch(line, @"\d+ x \d+").Should().BeFalse(line);
        }
    }

    [Fact]
    public void ArithmeticFactsAreTrueInEveryPhrasing()
    {
        // Each phrasing names the two operands in order and the result; read them back independently.
        foreach (var line in Lines(new MultiplicationFacts(), 2_000))
        {
            var n = Regex.Matches(line, @"\d+").Select(m => int.Parse(m.Value)).ToArray();
            n.Should().HaveCount(3, line);
            bool answerFirst = line.StartsWith(n[0] + " is ", StringComparison.Ordinal) && !line.Contains("times");
            var (a, b, p) = answerFirst ? (n[1], n[2], n[0]) : (n[0], n[1], n[2]);
            (a * b).Should().Be(p, line);
            a.Should().BeLessThan(20);
        }
        foreach (var line in Lines(new AdditionFacts(), 2_000))
        {
            var n = Regex.Matches(line, @"\d+").Select(m => int.Parse(m.Value)).ToArray();
            int sum = n.Max();
            (n.Sum() - sum).Should().Be(sum, line);
        }
    }

    [Fact]
    public void CountingStatementsCountTheXs()
    {
        foreach (var line in Lines(new CountingStatements(), 2_000))
        {
            var letters = Regex.Match(line, @"[xy]( [xy])+").Value;
            int stated = int.Parse(Regex.Match(line, @"\d+").Value);
            stated.Should().Be(letters.Count(c => c == 'x'), line);
        }
    }

    [Fact]
    public void BracketStatementsAreTrue()
    {
        foreach (var line in Lines(new BracketStatements(), 2_000))
        {
            var s = Regex.Match(line, @"[()\[\]{}]+").Value;
            DyckTask.IsMatched(s).Should().Be(!line.Contains("not"), line);
        }
    }

    [Fact]
    public void GeneratedBracketStringsAreBalancedWithTheRequestedPairs()
    {
        var random = new Random(5);
        for (int k = 0; k < 500; k++)
        {
            int pairs = 1 + k % 12;
            var s = ShuffleDyck.Balanced(random, pairs);
            s.Should().HaveLength(2 * pairs);
            DyckTask.IsMatched(s).Should().BeTrue(s);
            DyckTask.IsMatched(ShuffleDyck.Corrupt(random, s)).Should().BeFalse();
        }
    }

    [Fact]
    public void MixtureFollowsItsWeights()
    {
        var corpus = new CorpusMixture([(new AdditionFacts(), 3), (new FillerSentences(), 1)]);
        var random = new Random(11);
        int filler = Enumerable.Range(0, 8_000).Count(_ => !Regex.IsMatch(corpus.NextLine(random), @"\d"));
        (filler / 8_000.0).Should().BeApproximately(0.25, 0.02);
        corpus.NextWindow(new Random(1), 100).Should().HaveLength(100);
    }

    [Fact]
    public void MixtureRejectsBadWeights()
    {
        var act = () => new CorpusMixture([(new AdditionFacts(), 0)]);
        act.Should().Throw<ArgumentException>().WithMessage("*'addition'*");
    }

    [Fact]
    public void InstructionDataUsesOnlyTrainPairsAndNoTaskFormat()
    {
        var tasks = TaskRegistry.Default;
        var testPrompts = new HashSet<string>(
            new[] { "int-sum", "int-mult" }.SelectMany(t => tasks.Get(t).GetExamples("test")).Select(e => e.Prompt));
        var data = new InstructionData(tasks);
        foreach (var line in Lines(data, 5_000))
        {
            foreach (var format in InstructionData.TaskPromptFormats)
                format.IsMatch(line).Should().BeFalse(line);
            var m = Regex.Match(line, @"(\d+) ?(\+|x|\*|plus|times) ?(\d+)");
            if (!m.Success) continue;
            var op = m.Groups[2].Value is "+" or "plus" ? "+" : "x";
            testPrompts.Should().NotContain($"{m.Groups[1].Value} {op} {m.Groups[3].Value} =", line);
        }
    }
}
