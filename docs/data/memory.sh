D=docs/data  # run from the repository root
.venv/bin/python docs/figures.py memory --rows \
 "MLP, current input, article's regime=$D/nets.csv@4:mlp, step" \
 "window MLP, last 4 inputs, article's regime=$D/nets.csv@4:window, step" \
 "SimpleRNN(20), article's regime=$D/nets.csv@4:simple, step" \
 "GRU(20), article's regime=$D/nets.csv@4:gru, step" \
 "LSTM(20), article's regime=$D/long.csv" \
 "SimpleRNN, modern regime=$D/paper_cell_simple_2a_10.csv" "SimpleRNN, modern regime=$D/paper_cell_simple_2a_100.csv" "SimpleRNN, modern regime=$D/paper_cell_simple_2a_1000.csv" \
 "SimpleRNN, modern regime=$D/paper_cell_simple_2c_50.csv" \
 "GRU, modern regime=$D/paper_cell_gru_2a_10.csv" "GRU, modern regime=$D/paper_cell_gru_2a_100.csv" "GRU, modern regime=$D/paper_cell_gru_2a_1000.csv" \
 "GRU, modern regime=$D/paper_cell_gru_2c_50.csv" "GRU, modern regime=$D/paper_cell_gru_2c_1000.csv" "GRU, modern regime=$D/paper_cell_gru_2c_10000.csv" \
 "LSTM, modern regime=$D/paper_m_2ab_100.csv:LSTM(64)" "LSTM, modern regime=$D/paper_m_2a_1000.csv" \
 "LSTM, modern regime=$D/paper_table3_qp.csv" "LSTM, modern regime=$D/paper_q2000_5000.csv" "LSTM, modern regime=$D/paper_q10000.csv" \
 "traditional net, RTRL, lr 1=$D/paper_rtrl_p4_lr1.csv" "traditional net, RTRL, lr 1=$D/paper_rtrl_p10.csv" "traditional net, RTRL, lr 1=$D/paper_rtrl_p100.csv" \
 "traditional net, RTRL, lr 10=$D/paper_rtrl_p4_lr10.csv" "traditional net, RTRL, lr 10=$D/paper_rtrl_p10_lr10.csv" \
 "traditional net, BPTT, lr 1=$D/paper_bptt_p4_lr1.csv" "traditional net, BPTT, lr 1=$D/paper_bptt_p10.csv" "traditional net, BPTT, lr 1=$D/paper_bptt_p100.csv" \
 "1997 net, as printed=$D/paper_a_printed.csv" \
 --paper $D/paper_rtrl_p4_lr1.csv --out docs/memory.png
