using LLMML.Complexity.Reporting;

namespace LLMML.Complexity.Tests.Reporting;

public class ParetoFrontierTests
{
    private static ComplexityRun Run(string model, long bits, double score, string config = "c") => new(model, "s", config, bits, 0, score, 0);

    [Fact]
    public void FrontierKeepsOnlyRunsThatBeatEveryShorterRun()
    {
        var runs = new[]
        {
            Run("m", 800, 0.5, "d"), Run("m", 100, 0.1, "a"), Run("m", 400, 0.05, "b"), Run("m", 400, 0.3, "c"),
            Run("m", 2000, 0.5, "e"), Run("m", 5000, 0.45, "f"), Run("m", 9000, 0.9, "g"),
        };
        // Sorted by bits (ties: higher score first): a 0.1 ✓, c 0.3 ✓, b 0.05 ✗, d 0.5 ✓, e 0.5 ✗ (only ties d), f 0.45 ✗, g 0.9 ✓.
        ParetoFrontier.Of(runs).Select(r => r.Configuration).Should().Equal("a", "c", "d", "g");
        ParetoFrontier.Complexity(ParetoFrontier.Of(runs), 0.5).Should().Be(800);
        ParetoFrontier.Complexity(ParetoFrontier.Of(runs), 0.31).Should().Be(800);
        ParetoFrontier.Complexity(ParetoFrontier.Of(runs), 0.95).Should().BeNull();
    }

    [Fact]
    public void ReportGivesComplexityPerModelAndRatios()
    {
        var runs = new[] { Run("random", 64_000, 0.92), Run("random", 100, 0.0), Run("post", 320, 0.95), Run("post", 100, 0.4) };
        var report = new ComplexityReport("t", "exact-match", ["random", "post"], runs, [0.9]);
        report.Complexity("random", 0.9).Should().Be(64_000);
        report.Complexity("post", 0.9).Should().Be(320);
        report.Ratio("random", "post", 0.9).Should().Be(200);
        report.Ratio("random", "post", 0.99).Should().BeNull();
        report.BestScore("post").Should().Be(0.95);
        var frame = report.ToDataFrame();
        frame.Rows.Count.Should().Be(4);
        frame["on_frontier"].Cast<bool>().Should().Equal(true, true, true, true);
        var unknown = () => report.Frontier("base");
        unknown.Should().Throw<ArgumentException>().WithMessage("*no model 'base'*");
    }

    [Fact]
    public void UnselectedAlternativesCountOnlyWhenChosenOnTestAndPaperScriptsRecostTheCode()
    {
        var runs = new[]
        {
            new ComplexityRun("m", "plain", "-", 8 * 265, 0, 0.2, 0) { PaperFixedCodeBits = 8 * 369 },
            new ComplexityRun("m", "prequential", "N=8 epoch=1", 8 * 1300, 5000, 0.6, 0) { PaperFixedCodeBits = 8 * 713, Selected = true },
            new ComplexityRun("m", "prequential", "N=8 epoch=3", 8 * 1300, 5004, 0.9, 0) { PaperFixedCodeBits = 8 * 713, Selected = false },
        };
        var report = new ComplexityReport("t", "exact-match", ["m"], runs, [0.5, 0.9]);
        report.Complexity("m", 0.9).Should().BeNull("the epoch that reached 0.9 was not the one validation chose");
        report.Complexity("m", 0.9, Accounting.Ours, chosenOnTest: true).Should().Be(8 * 1300 + 5004);
        report.Complexity("m", 0.5).Should().Be(8 * 1300 + 5000);
        report.Complexity("m", 0.5, Accounting.Paper).Should().Be(8 * 713 + 5000);
        report.Complexity("m", 0.1, Accounting.Paper).Should().Be(8 * 369);
        report.ToDataFrame()["paper_bits"].Cast<long>().Should().Equal(8 * 369, 8 * 713 + 5000, 8 * 713 + 5004);
    }

    [Fact]
    public void TheSummaryQuotesAllThreeAccountingsAndTheRatios()
    {
        var runs = new[]
        {
            new ComplexityRun("base", "lora", "all r=1 bits=4", 8 * 649, 3000, 0.6, 2) { PaperFixedCodeBits = 8 * 1047 },
            new ComplexityRun("post", "plain", "-", 8 * 265, 0, 0.7, 1) { PaperFixedCodeBits = 8 * 369 },
        };
        var report = new ComplexityReport("int-sum", "exact-match", ["base", "post"], runs, [0.5, 0.9]);
        var markdown = ComplexitySummary.Markdown([report]);
        // base C(0.5): 5,192 + 3,000 = 8,192 bits ours, 8,376 + 3,000 = 11.4 kbit with the paper's script; post: 2,120 | 2,952.
        markdown.Should().Contain("| int-sum | base | — | 60.0% (lora all r=1 bits=4, 8,192 bit) | **8,192 bit** \\| 11.4 kbit \\| 8,192 bit | **not reached**");
        markdown.Should().Contain("| int-sum | post | 70.0% |");
        markdown.Should().Contain("| int-sum | base / post | **3.9×** \\| 3.9× \\| 3.9× | **—** \\| — \\| — |");
        markdown.Should().Contain("| int-sum | 2 | 1 | 3 |");
    }
}
