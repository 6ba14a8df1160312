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
    public void BracketStatementsUseTheTasksOwnStringsWithinTheRequestedLengths()
    {
        int balanced = 0;
        foreach (var line in Lines(new BracketStatements(minPairs: 1, maxPairs: 8), 2_000))
        {
            var s = Regex.Match(line, @"[()\[\]{}]+").Value;
            s.Length.Should().BeInRange(2, 16, line);
            s.Should().NotContainAny(["<", ">"]);
            if (DyckTask.IsMatched(s)) balanced++;
        }
        (balanced / 2_000.0).Should().BeApproximately(0.5, 0.05);
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
    public void InstructionDataNeverContainsATestExample()
    {
        var tasks = TaskRegistry.Default;
        var testArithmetic = new HashSet<string>(
            new[] { "int-sum", "int-mult" }.SelectMany(t => tasks.Get(t).GetExamples("test")).Select(e => e.Prompt));
        var testTexts = new HashSet<string>(new[] { "count", "dyck" }.SelectMany(t => tasks.Get(t).GetExamples("test")).Select(e => TextOf(e.Prompt)));
        testTexts.Should().HaveCount(1_000).And.NotContain("");
        var data = new InstructionData(tasks);
        int taskFormat = 0, arithmetic = 0;
        foreach (var line in Lines(data, 5_000))
        {
            // A task-format line is the task's prompt, a space and the answer.
            int answerAt = line.LastIndexOf(' ');
            if (answerAt > 0 && InstructionData.TaskPromptFormats.Any(f => f.IsMatch(line[..answerAt])))
                taskFormat++;
            var m = Regex.Match(line, @"(\d+) ?(\+|x|plus|times) ?(\d+)");
            if (m.Success)
            {
                arithmetic++;
                var op = m.Groups[2].Value is "+" or "plus" ? "+" : "x";
                testArithmetic.Should().NotContain($"{m.Groups[1].Value} {op} {m.Groups[3].Value} =", line);
            }
            else
            {
                testTexts.Should().NotContain(TextOf(line), line);
            }
        }
        arithmetic.Should().BeInRange(2_200, 2_800, "sums and products are half of the lines");
        ((double)taskFormat / 5_000).Should().BeApproximately(InstructionData.TaskFormatShare, 0.05,
            "half of the lines teach the task's own format, on train examples");
    }

    // The x/y text or bracket string of a count or dyck line: the longest run of either alphabet.
    private static string TextOf(string line) =>
        Regex.Matches(line, @"[xy](?: [xy])+|[()\[\]{}]{2,}").Select(m => m.Value).MaxBy(v => v.Length) ?? "";

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.6)]
    [InlineData(0.7)]
    public void CompetingLinesAreCuedFactsOrUncuedSumsAtTheGivenRate(double sumProbability)
    {
        int mul = 0, add = 0, uncued = 0, uncuedSums = 0;
        foreach (var line in Lines(new CompetingArithmetic(sumProbability), 20_000))
        {
            var m = Regex.Match(line, @"^(mul: |add: |)(\d+) x (\d+) = (\d+)$");
            m.Success.Should().BeTrue(line);
            int i = int.Parse(m.Groups[2].Value), j = int.Parse(m.Groups[3].Value), v = int.Parse(m.Groups[4].Value);
            i.Should().BeLessThan(20);
            j.Should().BeLessThan(20);
            switch (m.Groups[1].Value)
            {
                case "mul: ": mul++; v.Should().Be(i * j, line); break;
                case "add: ": add++; v.Should().Be(i + j, line); break;
                default:
                    uncued++;
                    (v == i + j || v == i * j).Should().BeTrue(line);
                    // i + j = i · j only for (0,0) and (2,2): such lines say nothing about which was drawn.
                    if (i + j != i * j && v == i + j) uncuedSums++;
                    break;
            }
        }
        (mul / 20_000.0).Should().BeApproximately(0.25, 0.015);
        (add / 20_000.0).Should().BeApproximately(0.25, 0.015);
        (uncued / 20_000.0).Should().BeApproximately(0.5, 0.015);
        // 4σ of a binomial over ~10,000 uncued lines is under 0.02.
        ((double)uncuedSums / uncued).Should().BeApproximately(sumProbability * (1 - 2 / 400.0), 0.02);
    }

    [Fact]
    public void CompetingRejectsAProbabilityOutsideZeroToOne()
    {
        var act = () => new CompetingArithmetic(1.5);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*[0, 1]*");
    }

    [Fact]
    public void CountingStatementsCoverTheCountTasksLengthsWithUniformCounts()
    {
        var lengths = new List<int>();
        var atExtremes = 0;
        foreach (var line in Lines(new CountingStatements(), 4_000))
        {
            var letters = Regex.Match(line, @"[xy]( [xy])+").Value.Split(' ');
            int stated = int.Parse(Regex.Match(line, @"\d+").Value);
            lengths.Add(letters.Length);
            if (stated == 0 || stated == letters.Length) atExtremes++;
        }
        lengths.Max().Should().Be(40);
        lengths.Min().Should().Be(3);
        // Uniform counts over 0..n put 2/(n+1) of the mass at the extremes (13% averaged over lengths 3..40); a fair
        // coin per letter would put under 1% there. 4σ of the binomial over 4,000 lines is 0.021.
        double expected = Enumerable.Range(3, 38).Average(n => 2.0 / (n + 1));
        (atExtremes / 4_000.0).Should().BeApproximately(expected, 0.021);
    }
}
