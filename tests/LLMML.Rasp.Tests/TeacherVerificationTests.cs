using LLMML.Rasp.Compiler;
using LLMML.Rasp.Language;
using LLMML.Rasp.Library;
using LLMML.Rasp.Torch;
using LLMML.Rasp.Torch.Verification;

namespace LLMML.Rasp.Tests;

/// <summary>
/// The three injection teachers are exact on whole (small) training distributions, answers computed
/// by plain C# (bracket counter, count, integer addition); and a wrong teacher is refused naming the input.
/// </summary>
public class TeacherVerificationTests
{
    private static CompiledModel Teacher(string name, int maxLen, double coldness = 100)
    {
        var entry = ProgramCatalog.Get(name);
        return CompiledModel.Assemble(RaspCompiler.Compile(entry.Build(maxLen),
            new RaspCompilerOptions { Vocabulary = entry.Vocabulary, MaxLength = maxLen, Causal = true, AttentionColdness = coldness }, name));
    }

    private static IEnumerable<string> AllStrings(string alphabet, int maxLength)
    {
        IEnumerable<string> current = [""];
        for (var n = 1; n <= maxLength; n++)
        {
            current = current.SelectMany(s => alphabet.Select(c => s + c)).ToList();
            foreach (var s in current) yield return s;
        }
    }

    /// <summary>The answer's digits from the trigger on.</summary>
    private static TeacherExample WithAnswer(string prompt, string answer)
    {
        var trigger = prompt.Length - 1;
        return new TeacherExample(RandomInputs.Chars(prompt + answer),
            answer.Select((c, k) => (trigger + k, (RaspValue)c.ToString())).ToDictionary(t => t.Item1, t => t.Item2));
    }

    [Fact]
    public void Dyck3_is_exact_on_every_bracket_string_up_to_length_5()
    {
        using var model = Teacher("dyck3", 7);
        var examples = AllStrings("()[]{}", 5).Select(s => new TeacherExample(RandomInputs.Chars("_" + s + ":"),
            new Dictionary<int, RaspValue> { [s.Length + 1] = ReferenceAnswers.IsShuffleDyck(s) ? "yes" : "no" })).ToList();
        examples.Should().HaveCount(9330);
        var report = TeacherVerification.RequireExact(model, ProgramCatalog.Get("dyck3").Build(7), examples, batchSize: 1024);
        report.Examples.Should().Be(9330);
    }

    [Fact]
    public void Count_x_is_exact_on_every_xy_string_up_to_length_10()
    {
        using var model = Teacher("count_x", 13);
        var examples = AllStrings("xy", 10).Select(s => WithAnswer(s + ":", s.Count(c => c == 'x').ToString())).ToList();
        TeacherVerification.RequireExact(model, ProgramCatalog.Get("count_x").Build(13), examples).Examples.Should().Be(2046);
    }

    [Fact]
    public void Addition_is_exact_on_every_pair_of_operands_below_30_and_of_three_digit_carry_cases()
    {
        const int maxLen = 16;
        using var model = Teacher("addition", maxLen);
        var operands = Enumerable.Range(0, 30).Concat([100, 199, 500, 899, 901, 990, 998, 999]).ToList();
        var examples = operands.SelectMany(i => operands.Select(j => WithAnswer($"{i}_+_{j}=", (i + j).ToString()))).ToList();
        TeacherVerification.RequireExact(model, ProgramCatalog.Get("addition").Build(maxLen), examples, batchSize: 512)
            .Examples.Should().Be(operands.Count * operands.Count);
    }

    [Fact]
    public void A_wrong_task_answer_is_refused_naming_the_input_and_position()
    {
        using var model = Teacher("count_x", 8);
        var examples = AllStrings("xy", 4).Select(s => WithAnswer(s + ":", s.Count(c => c == 'x').ToString())).ToList();
        examples[7] = WithAnswer("xyx:", "3"); // the task claims 3; the teacher (rightly) says 2
        var e = FluentActions.Invoking(() => TeacherVerification.RequireExact(model, ProgramCatalog.Get("count_x").Build(8), examples))
            .Should().Throw<TeacherNotExactException>().Which;
        e.Example.Should().BeSameAs(examples[7]);
        e.Position.Should().Be(3);
        e.Message.Should().Contain("[x y x : 3] position 3").And.Contain("answer is 3");
    }

    [Fact]
    public void A_teacher_whose_compilation_is_inexact_is_refused()
    {
        // Soft attention: the float32 model no longer computes the program.
        using var model = Teacher("count_x", 8, coldness: 0.5);
        var examples = AllStrings("xy", 4).Select(s => WithAnswer(s + ":", s.Count(c => c == 'x').ToString())).ToList();
        FluentActions.Invoking(() => TeacherVerification.RequireExact(model, ProgramCatalog.Get("count_x").Build(8), examples))
            .Should().Throw<TeacherNotExactException>().WithMessage("*the compiled model gives*");
    }
}
