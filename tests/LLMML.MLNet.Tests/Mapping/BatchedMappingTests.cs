using LLMML.Foundation.Progress;
using LLMML.MLNet.Mapping;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace LLMML.MLNet.Tests.Mapping;

public class BatchedMappingTests
{
    private sealed class Row
    {
        public float X { get; set; }

        public string Name { get; set; } = "";

        [VectorType(2)]
        public float[] Pair { get; set; } = [];
    }

    private static readonly MLContext Ml = new(seed: 1);

    private static Row[] Rows(int n) => Enumerable.Range(0, n)
        .Select(i => new Row { X = i * 1.5f, Name = $"row{i}", Pair = [i, -i] }).ToArray();

    // Fake "model": Y = 2X + 1, V = [X, X²], K = 1 + (row index parity). Records every call.
    private sealed class FakeModel
    {
        public List<(int Count, long First)> Calls { get; } = [];

        public BatchedMapping Mapping(int batchSize, IProgress<ProgressUpdate>? progress = null) => new(
            "fake model",
            [BatchInputColumn.Create<float>("X")],
            [
                BatchOutputColumn.Create<float>("Y", NumberDataViewType.Single),
                BatchOutputColumn.FloatVector("V", 2, ["x", "x2"]),
                BatchOutputColumn.Key("K", ["even", "odd"]),
            ],
            (input, output) =>
            {
                lock (Calls) Calls.Add((input.Count, input.FirstPosition));
                var xs = input.Get<float>("X");
                var y = output.Get<float>("Y");
                var v = output.Get<VBuffer<float>>("V");
                var k = output.Get<uint>("K");
                for (int i = 0; i < input.Count; i++)
                {
                    y[i] = 2 * xs[i] + 1;
                    v[i] = new VBuffer<float>(2, [xs[i], xs[i] * xs[i]]);
                    k[i] = (uint)(1 + (input.FirstPosition + i) % 2);
                }
            },
            batchSize,
            progress);
    }

    [Theory]
    [InlineData(10, 4)]
    [InlineData(10, 5)]
    [InlineData(10, 1)]
    [InlineData(3, 16)]
    public void Calls_the_batch_function_once_per_batch_in_row_order(int rows, int batchSize)
    {
        var model = new FakeModel();
        var output = model.Mapping(batchSize).Apply(Ml.Data.LoadFromEnumerable(Rows(rows)));

        var ys = output.GetColumn<float>("Y").ToArray();

        var expectedCalls = Enumerable.Range(0, (rows + batchSize - 1) / batchSize)
            .Select(b => (Math.Min(batchSize, rows - b * batchSize), (long)(b * batchSize))).ToArray();
        model.Calls.Should().Equal(expectedCalls);
        ys.Should().Equal(Rows(rows).Select(r => 2 * r.X + 1));
    }

    [Fact]
    public void Keeps_input_columns_by_index_and_appends_outputs()
    {
        var input = Ml.Data.LoadFromEnumerable(Rows(7));
        var output = new FakeModel().Mapping(3).Apply(input);

        for (int i = 0; i < input.Schema.Count; i++)
        {
            output.Schema[i].Name.Should().Be(input.Schema[i].Name);
            output.Schema[i].Type.Should().Be(input.Schema[i].Type);
        }
        output.Schema.Skip(input.Schema.Count).Select(c => c.Name).Should().Equal("Y", "V", "K");
        output.Schema["V"].Type.Should().Be(new VectorDataViewType(NumberDataViewType.Single, 2));
        output.Schema["K"].Type.Should().Be(new KeyDataViewType(typeof(uint), 2));

        // Pass-through values survive the read-ahead, including vectors and the short last batch.
        output.GetColumn<string>("Name").Should().Equal(Rows(7).Select(r => r.Name));
        output.GetColumn<float[]>("Pair").Select(p => (p[0], p[1])).Should().Equal(Rows(7).Select(r => (r.Pair[0], r.Pair[1])));
        output.GetColumn<float[]>("V").Select(v => (v[0], v[1])).Should().Equal(Rows(7).Select(r => (r.X, r.X * r.X)));
        output.GetColumn<uint>("K").Should().Equal(Enumerable.Range(0, 7).Select(i => (uint)(1 + i % 2)));
    }

    [Fact]
    public void Annotations_carry_slot_names_and_key_values()
    {
        var schema = new FakeModel().Mapping(3).GetOutputSchema(Ml.Data.LoadFromEnumerable(Rows(1)).Schema);
        VBuffer<ReadOnlyMemory<char>> names = default, keys = default;
        schema["V"].GetSlotNames(ref names);
        schema["K"].GetKeyValues(ref keys);
        names.DenseValues().Select(m => m.ToString()).Should().Equal("x", "x2");
        keys.DenseValues().Select(m => m.ToString()).Should().Equal("even", "odd");
    }

    [Fact]
    public void An_output_named_like_an_input_hides_it()
    {
        var mapping = new BatchedMapping("shadow", [BatchInputColumn.Create<float>("X")],
            [BatchOutputColumn.Create<float>("X", NumberDataViewType.Single)],
            (i, o) =>
            {
                var x = i.Get<float>("X");
                var y = o.Get<float>("X");
                for (int r = 0; r < i.Count; r++) y[r] = -x[r];
            }, 2);
        var output = mapping.Apply(Ml.Data.LoadFromEnumerable(Rows(3)));

        output.Schema[0].IsHidden.Should().BeTrue();
        output.GetColumn<float>("X").Should().Equal(0f, -1.5f, -3f);
    }

    [Fact]
    public void Is_lazy_and_skips_the_batch_function_when_no_output_is_read()
    {
        var model = new FakeModel();
        var tracked = new TrackingDataView(Ml.Data.LoadFromEnumerable(Rows(5)));
        var output = model.Mapping(2).Apply(tracked);
        model.Calls.Should().BeEmpty("Apply must not compute anything");

        output.GetColumn<string>("Name").Should().HaveCount(5);

        model.Calls.Should().BeEmpty("only a pass-through column was read");
        tracked.RequestedColumns.Single().Should().Equal("Name");
    }

    [Fact]
    public void Requests_only_the_needed_input_columns_and_disposes_cursors()
    {
        var tracked = new TrackingDataView(Ml.Data.LoadFromEnumerable(Rows(5)));
        var output = new FakeModel().Mapping(2).Apply(tracked);

        using (var cursor = output.GetRowCursor([output.Schema["Y"]]))
        {
            cursor.IsColumnActive(output.Schema["Name"]).Should().BeFalse();
            var y = cursor.GetGetter<float>(output.Schema["Y"]);
            cursor.Invoking(c => c.GetGetter<ReadOnlyMemory<char>>(output.Schema["Name"])).Should().Throw<InvalidOperationException>().WithMessage("*'Name'*not requested*");
            float v = 0;
            cursor.MoveNext().Should().BeTrue();
            y(ref v);
            v.Should().Be(1f);
        }

        tracked.RequestedColumns.Single().Should().Equal("X");
        tracked.Cursors.Should().ContainSingle().Which.Disposed.Should().BeTrue();
    }

    [Fact]
    public void Positions_and_row_ids_follow_the_input()
    {
        var input = Ml.Data.LoadFromEnumerable(Rows(5));
        var output = new FakeModel().Mapping(2).Apply(input);
        var ids = new List<DataViewRowId>();
        var inputIds = new List<DataViewRowId>();
        using (var cursor = output.GetRowCursor(output.Schema))
        {
            var id = cursor.GetIdGetter();
            DataViewRowId value = default;
            long expected = 0;
            while (cursor.MoveNext())
            {
                cursor.Position.Should().Be(expected++);
                id(ref value);
                ids.Add(value);
            }
            cursor.MoveNext().Should().BeFalse();
        }
        using (var cursor = input.GetRowCursor(input.Schema))
        {
            var id = cursor.GetIdGetter();
            DataViewRowId value = default;
            while (cursor.MoveNext())
            {
                id(ref value);
                inputIds.Add(value);
            }
        }
        ids.Should().Equal(inputIds);
    }

    [Fact]
    public void Reports_progress_per_batch()
    {
        var updates = new List<ProgressUpdate>();
        var progress = new SynchronousProgress(updates.Add);
        new FakeModel().Mapping(4, progress).Apply(Ml.Data.LoadFromEnumerable(Rows(10))).GetColumn<float>("Y").ToArray();
        updates.Select(u => (u.Completed, u.Total)).Should().Equal((4L, (long?)10), (8L, (long?)10), (10L, (long?)10));
    }

    [Fact]
    public void Missing_or_mistyped_input_columns_are_named()
    {
        var schema = Ml.Data.LoadFromEnumerable(Rows(1)).Schema;
        var missing = new BatchedMapping("m", [BatchInputColumn.Text("Prompt")], [BatchOutputColumn.Create<float>("Y", NumberDataViewType.Single)], (_, _) => { });
        var wrongType = new BatchedMapping("m", [BatchInputColumn.Text("X")], [BatchOutputColumn.Create<float>("Y", NumberDataViewType.Single)], (_, _) => { });

        missing.Invoking(m => m.GetOutputSchema(schema)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'Prompt'*not found*X, Name, Pair*");
        wrongType.Invoking(m => m.GetOutputSchema(schema)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'X' must be text*Single*");
    }

    [Fact]
    public void Unset_vectors_out_of_range_keys_and_failures_are_reported_with_rows()
    {
        var data = Ml.Data.LoadFromEnumerable(Rows(5));
        var unset = new BatchedMapping("lazy model", [BatchInputColumn.Create<float>("X")], [BatchOutputColumn.FloatVector("V", 3)], (_, _) => { }, 2);
        var badKey = new BatchedMapping("key model", [BatchInputColumn.Create<float>("X")], [BatchOutputColumn.Key("K", ["a", "b"])],
            (i, o) => o.Get<uint>("K")[0] = 3, 2);
        var throwing = new BatchedMapping("broken model", [BatchInputColumn.Create<float>("X")], [BatchOutputColumn.Create<float>("Y", NumberDataViewType.Single)],
            (i, _) =>
            {
                if (i.FirstPosition == 2) throw new ArithmeticException("boom");
            }, 2);

        unset.Invoking(m => m.Apply(data).GetColumn<float[]>("V").ToArray()).Should().Throw<InvalidOperationException>().WithMessage("*lazy model*'V'*length 0 at row 0, expected 3*");
        badKey.Invoking(m => m.Apply(data).GetColumn<uint>("K").ToArray()).Should().Throw<InvalidOperationException>().WithMessage("*'K' got 3 at row 0*");
        throwing.Invoking(m => m.Apply(data).GetColumn<float>("Y").ToArray()).Should().Throw<InvalidOperationException>()
            .WithMessage("*broken model*rows 2..3*boom*").WithInnerException<ArithmeticException>();
    }

    [Fact]
    public void Row_to_row_mapper_maps_one_row_at_a_time()
    {
        var model = new FakeModel();
        var input = Ml.Data.LoadFromEnumerable(Rows(3));
        var mapper = model.Mapping(8).CreateRowToRowMapper(input.Schema);
        var yColumn = mapper.OutputSchema["Y"];
        mapper.GetDependencies([yColumn]).Select(c => c.Name).Should().Equal("X");

        var values = new List<float>();
        using var cursor = input.GetRowCursor(mapper.GetDependencies([yColumn]));
        using var row = mapper.GetRow(cursor, [yColumn]);
        var getter = row.GetGetter<float>(yColumn);
        while (cursor.MoveNext())
        {
            float y = 0;
            getter(ref y);
            getter(ref y);
            values.Add(y);
        }
        values.Should().Equal(1f, 4f, 7f);
        model.Calls.Should().Equal((1, 0L), (1, 1L), (1, 2L));
    }

    [Fact]
    public void Opens_and_disposes_the_batch_scope_around_every_call_even_on_failure()
    {
        var events = new List<string>();
        var mapping = new BatchedMapping("scoped", [BatchInputColumn.Create<float>("X")], [BatchOutputColumn.Create<float>("Y", NumberDataViewType.Single)],
            (i, o) =>
            {
                events.Add($"map {i.FirstPosition}");
                if (i.FirstPosition == 4) throw new InvalidOperationException("fail");
            },
            2,
            batchScope: () =>
            {
                events.Add("open");
                return new Scope(() => events.Add("close"));
            });

        var act = () => mapping.Apply(Ml.Data.LoadFromEnumerable(Rows(6))).GetColumn<float>("Y").ToArray();

        act.Should().Throw<InvalidOperationException>();
        events.Should().Equal("open", "map 0", "close", "open", "map 2", "close", "open", "map 4", "close");
    }

    private sealed class Scope(Action onDispose) : IDisposable
    {
        public void Dispose() => onDispose();
    }
}
