using System.Globalization;
using System.Net;
using System.Text;
using TypedBuild;

namespace ExampleService.Tests.Infrastructure;

/// <summary>One span as an OTLP receiver sees it: the fields the tests check.</summary>
public sealed record ReceivedSpan(
    string TraceId, string SpanId, string ParentSpanId, string Name, int Kind, string Scope, string ServiceName, IReadOnlyDictionary<string, string> Attributes)
{
    public const int ServerKind = 2;
    public const int ClientKind = 3;
}

/// <summary>
/// An OTLP/HTTP trace receiver on loopback (POST /v1/traces, protobuf), as a collector would run it: it decodes each
/// ExportTraceServiceRequest with a minimal reader of the protobuf wire format (no generated classes needed).
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly List<ReceivedSpan> _spans = [];
    private readonly Task _serving;

    public OtlpReceiver()
    {
        Url = $"http://127.0.0.1:{LoopbackPorts.Free().ToString(CultureInfo.InvariantCulture)}";
        _listener.Prefixes.Add($"{Url}/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    /// <summary>The base endpoint, as OTEL_EXPORTER_OTLP_ENDPOINT names it (the exporter appends /v1/traces).</summary>
    public string Url { get; }

    /// <summary>Paths the exporter posted to.</summary>
    public List<string> Paths { get; } = [];

    public IReadOnlyList<ReceivedSpan> Spans
    {
        get
        {
            lock (_spans)
            {
                return [.. _spans];
            }
        }
    }

    /// <summary>Waits until spans matching <paramref name="match"/> have arrived (at most 30 s), then returns them all.</summary>
    public async Task<IReadOnlyList<ReceivedSpan>> WaitForAsync(Func<IReadOnlyList<ReceivedSpan>, bool> match)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!match(Spans))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The expected spans did not arrive within 30 s; received: {string.Join("; ", Spans.Select(s => $"{s.Scope} {s.Name} {s.TraceId}"))}.");
            }

            await Task.Delay(50);
        }

        return Spans;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            try
            {
                await AnswerAsync(context);
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                // The test closed the receiver while an export was still being answered: nothing is waiting for it.
                return;
            }
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        using var response = context.Response;
        using var body = new MemoryStream();
        await context.Request.InputStream.CopyToAsync(body);
        lock (_spans)
        {
            Paths.Add(context.Request.Url!.AbsolutePath);
            if (context.Request.Url.AbsolutePath == "/v1/traces")
            {
                _spans.AddRange(Decode(body.ToArray()));
            }
        }

        // An empty ExportTraceServiceResponse: everything accepted.
        response.StatusCode = 200;
        response.ContentType = "application/x-protobuf";
        response.ContentLength64 = 0;
    }

    // opentelemetry/proto/collector/trace/v1: request.resource_spans = 1; ResourceSpans.resource = 1, .scope_spans = 2;
    // ScopeSpans.scope = 1 (name = 1), .spans = 2; Span.trace_id = 1, span_id = 2, parent_span_id = 4, name = 5,
    // kind = 6, attributes = 9 (KeyValue key = 1, value = 2: AnyValue string = 1, bool = 2, int = 3).
    private static IEnumerable<ReceivedSpan> Decode(byte[] request)
    {
        foreach (var resourceSpans in Fields(request).Where(f => f.Number == 1))
        {
            var resourceFields = Fields(resourceSpans.Bytes).ToList();
            var resource = resourceFields.Where(f => f.Number == 1)
                .SelectMany(r => Fields(r.Bytes).Where(f => f.Number == 1))
                .Select(KeyValue)
                .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
            foreach (var scopeSpans in resourceFields.Where(f => f.Number == 2))
            {
                var scopeFields = Fields(scopeSpans.Bytes).ToList();
                var scope = scopeFields.Where(f => f.Number == 1).Select(s => Text(Fields(s.Bytes), 1)).FirstOrDefault() ?? "";
                foreach (var span in scopeFields.Where(f => f.Number == 2))
                {
                    var fields = Fields(span.Bytes).ToList();
                    yield return new ReceivedSpan(
                        Hex(fields, 1), Hex(fields, 2), Hex(fields, 4), Text(fields, 5) ?? "",
                        (int)fields.Where(f => f.Number == 6).Select(f => f.Varint).FirstOrDefault(),
                        scope,
                        resource.GetValueOrDefault("service.name", ""),
                        fields.Where(f => f.Number == 9).Select(KeyValue).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal));
                }
            }
        }
    }

    private static KeyValuePair<string, string> KeyValue(Field keyValue)
    {
        var fields = Fields(keyValue.Bytes).ToList();
        var value = fields.Where(f => f.Number == 2).Select(v => Fields(v.Bytes).FirstOrDefault()).FirstOrDefault();
        var text = value.Number switch
        {
            1 => Encoding.UTF8.GetString(value.Bytes),
            2 => value.Varint != 0 ? "true" : "false",
            3 => ((long)value.Varint).ToString(CultureInfo.InvariantCulture),
            _ => "",
        };
        return new(Text(fields, 1) ?? "", text);
    }

    private static string? Text(IEnumerable<Field> fields, int number) =>
        fields.Where(f => f.Number == number).Select(f => Encoding.UTF8.GetString(f.Bytes)).FirstOrDefault();

    private static string Hex(IEnumerable<Field> fields, int number) =>
        fields.Where(f => f.Number == number).Select(f => Convert.ToHexStringLower(f.Bytes)).FirstOrDefault() ?? "";

    private readonly record struct Field(int Number, ulong Varint, byte[] Bytes);

    private static IEnumerable<Field> Fields(byte[] message)
    {
        var position = 0;
        while (position < message.Length)
        {
            var tag = ReadVarint(message, ref position);
            var number = (int)(tag >> 3);
            switch (tag & 7)
            {
                case 0:
                    yield return new Field(number, ReadVarint(message, ref position), []);
                    break;
                case 1:
                    position += 8;
                    break;
                case 2:
                    var length = (int)ReadVarint(message, ref position);
                    yield return new Field(number, 0, message[position..(position + length)]);
                    position += length;
                    break;
                case 5:
                    position += 4;
                    break;
                default:
                    throw new InvalidDataException($"Unexpected protobuf wire type {tag & 7} at byte {position}.");
            }
        }
    }

    private static ulong ReadVarint(byte[] message, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = message[position++];
            value |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Close();
        await _serving;
    }
}
