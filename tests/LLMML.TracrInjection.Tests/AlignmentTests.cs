using LLMML.MLNet.Tasks;
using LLMML.Rasp.Language;
using LLMML.TestFramework;
using LLMML.TracrInjection.Alignment;
using LLMML.TracrInjection.Teachers;
using LLMML.TracrInjection.Training;

namespace LLMML.TracrInjection.Tests;

public class AlignmentTests
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyzAW '?:\n0123456789()[]{}+=";

    [Fact]
    public void Count_prompt_maps_only_the_text_and_puts_the_trigger_where_the_answer_is_predicted()
    {
        using var lm = TinyLanguageModels.CharacterGpt2(Alphabet, seed: 1, context: 128);
        var row = new TaskExample(CountTask.PromptFor("x y x"), "2");
        var s = InjectionData.Align(lm, InjectionProgramCatalog.Count.Alignment, [row], "\n")[0];
        var text = row.Prompt + " 2\n";
        s.TokenIds.Should().HaveCount(text.Length);
        // Naive reference: character i maps by hand.
        var region = row.Prompt.IndexOf("? ", StringComparison.Ordinal) + 2;
        for (var i = 0; i < text.Length; i++)
        {
            string expected = i == row.Prompt.Length ? ":"                              // the space after "Answer:" predicts "2"
                : i >= region && "xy0123456789".Contains(text[i]) ? text[i].ToString() : "_";
            s.CompiledInput[i].Should().Be((RaspValue)expected, $"position {i} ('{text[i]}')");
        }
        s.TriggerPosition.Should().Be(row.Prompt.Length);
        s.CompiledInput.Count(v => v == "x").Should().Be(2, "the x's of \"'x'\" and \"text\" lie in the question, before the region");
        // CE targets: every continuation token, counted in tokens.
        s.AnswerPositions.Should().Equal(Enumerable.Range(row.Prompt.Length - 1, 3));
    }

    [Fact]
    public void Teacher_answer_values_start_at_the_trigger_so_lm_position_t_is_compiled_position_t_plus_1()
    {
        using var lm = TinyLanguageModels.CharacterGpt2(Alphabet, seed: 1, context: 128);
        var rows = new[] { new TaskExample("12 + 5 =", "17"), new TaskExample("3 + 4 =", "7") };
        var sequences = InjectionData.Align(lm, InjectionProgramCatalog.Addition.Alignment, rows, "\n");
        var (teacher, examples, report) = InjectionData.PrepareTeacher(InjectionProgramCatalog.Addition, sequences, rows);
        using (teacher)
        {
            report.Examples.Should().Be(2);
            var e = examples[0];
            e.Sequence.TriggerPosition.Should().Be("12 + 5 =".Length);
            e.TeacherAnswers.Should().BeEquivalentTo(new Dictionary<int, RaspValue> { [8] = "1", [9] = "7", [10] = "<eos>" });
            // The compiled model's output at compiled position t + 1 is the one for LM position t.
            var ids = teacher.Model.Encode([e.Sequence.CompiledInput]);
            var final = teacher.Model.Transformer.call(ids);
            var decoded = teacher.Model.DecodeVariable(final, "final_result", [e.Sequence.CompiledInput.Length], firstPosition: 1)[0];
            decoded[8].Should().Be((RaspValue)"1");
            decoded[7].Should().Be((RaspValue)"_");
        }
    }

    [Fact]
    public void A_multi_character_answer_token_is_refused()
    {
        // As GPT-2's " 17": one LM token where the teacher writes 1, 7 at two positions.
        int[] prompt = [1, 2, 3];
        var sequence = new AlignedSequence([1, 2, 3, 4, 5], 3, ["_", "_", "=", "_", "_"], 2, ["1", "+", " ", "17", "\n"]);
        using var teacher = InjectionTeacher.Compile(InjectionProgramCatalog.Addition, 8);
        var act = () => teacher.AnswerValues(sequence, "17", 0);
        act.Should().Throw<ArgumentException>().WithMessage("Row 0:*is '17', not '1'; answers must be single-character tokens.");
    }

    [Fact]
    public void A_text_mapped_to_the_trigger_is_refused()
    {
        var spec = InjectionProgramCatalog.Dyck.Alignment with { TokenMap = new Dictionary<string, string> { [":"] = ":" } };
        var act = () => spec.Validate(InjectionProgramCatalog.Dyck.Vocabulary);
        act.Should().Throw<ArgumentException>().WithMessage("*':' maps to the trigger*");
    }

    [Fact]
    public void A_wrong_answer_is_refused_naming_the_input()
    {
        using var lm = TinyLanguageModels.CharacterGpt2(Alphabet, seed: 1, context: 128);
        var rows = new[] { new TaskExample(DyckTask.PromptFor("()"), "yes"), new TaskExample(DyckTask.PromptFor("(]"), "yes") };
        var sequences = InjectionData.Align(lm, InjectionProgramCatalog.Dyck.Alignment, rows, "\n");
        var act = () => InjectionData.PrepareTeacher(InjectionProgramCatalog.Dyck, sequences, rows);
        act.Should().Throw<LLMML.Rasp.Torch.Verification.TeacherNotExactException>().WithMessage("*( ]*the task's answer is yes, the teacher gives no*");
    }

    [Fact]
    public void A_row_longer_than_the_context_is_refused_not_truncated()
    {
        using var lm = TinyLanguageModels.CharacterGpt2(Alphabet, seed: 1, context: 48);
        var rows = new[] { new TaskExample(CountTask.PromptFor("x y"), "1") };
        var act = () => InjectionData.Align(lm, InjectionProgramCatalog.Count.Alignment, rows, "\n");
        act.Should().Throw<ArgumentException>().WithMessage("Row 0:*more than the model's 48 positions*never truncated*");
    }
}
