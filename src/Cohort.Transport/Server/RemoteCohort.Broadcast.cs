using Cohort.Transport.Wire;

namespace Cohort.Transport.Server;

/// <summary>The broadcast side of the deployed cohort executor: each exchange's model and vectors, the model as a compressed difference to clients that hold the previous round's view.</summary>
internal sealed partial class RemoteCohort
{
    /// <summary>Bytes of the model sent in the last round's exchange 0, over the clients whose updates were taken.</summary>
    public long ModelBytesSent { get; private set; }

    /// <summary>
    /// The broadcast of an open exchange: the model (parameters, then buffers; left out of a later exchange
    /// unless <paramref name="withModel"/>), then the downlink vectors; a 409 when that exchange is not open.
    /// In exchange 0 of a run with a compressed downlink, a client that holds round R − 1's view
    /// (<paramref name="holds"/>; 0 is the initial model) gets the parameters as the compressed difference.
    /// </summary>
    public (BroadcastHeader Header, ReadOnlyMemory<byte> ModelMessage, ReadOnlyMemory<float>[] Parts) Broadcast(int client, int round, int exchange, bool withModel, int? holds = null)
    {
        lock (_gate)
        {
            if (_open is not { Closed: false } open || open.Round != round || open.Exchange != exchange)
            {
                throw new ProtocolException(409, $"broadcast: exchange {exchange} of round {round} is not open (open: {(_open is { } o ? $"exchange {o.Exchange} of round {o.Round}" : "none")}).");
            }
            if (open.TaskFor(client) is null)
            {
                throw new ProtocolException(403, $"broadcast: client {client} is not in round {round}'s cohort.");
            }
            bool model = exchange == 0 || withModel;
            bool difference = exchange == 0 && !open.ModelMessage.IsEmpty && holds == round - 1;
            var header = new BroadcastHeader { Round = round, Exchange = exchange, Parameters = model ? open.Global.Length : 0, Buffers = model ? open.Buffers.Length : 0 };
            header.Downlink.Add(open.Downlink.Select(v => new VectorSpec { Name = v.Name, Length = v.Values.Length }));
            if (exchange == 0)
            {
                open.ModelBytesSent[client] = difference ? open.ModelMessage.Length : 4L * open.Global.Length;
            }
            ReadOnlyMemory<float>[] parts = !model ? [] : difference ? [open.Buffers] : [open.Global, open.Buffers];
            if (difference)
            {
                header.ModelMessageBytes = open.ModelMessage.Length;
            }
            return (header, difference ? open.ModelMessage : ReadOnlyMemory<byte>.Empty, [.. parts, .. open.Downlink.Select(v => (ReadOnlyMemory<float>)v.Values)]);
        }
    }
}
