D=docs/data  # run from the repository root
.venv/bin/python docs/figures.py lags --trials \
 "modern LSTM(64), Adam=$D/paper_m_2ab_100.trials.csv" "modern LSTM(64), Adam=$D/paper_m_2a_1000.trials.csv" \
 "modern LSTM(8), Adam=$D/paper_table3_qp.trials.csv" "modern LSTM(8), Adam=$D/paper_q2000_5000.trials.csv" "modern LSTM(8), Adam=$D/paper_q10000.trials.csv" \
 "1997, as printed=$D/paper_a_printed.trials.csv" "1997, eq. 16, input gates -3=$D/paper_a_ingate_eq16.trials.csv" \
 "1997, input gates -3, end marker=$D/paper_b_marker_ingate.trials.csv" \
 "1997, Table 10's ranges, eq. 16=$D/paper_c_legend_eq16_gathered.trials.csv" \
 "1997, Table 10's ranges, eq. 16=$D/paper_c_legend_eq16_q100_500k.trials.csv" \
 "1997, Table 10's ranges, eq. 16=$D/paper_c_legend_eq16_q200_500k.trials.csv" \
 "1997, Table 10's ranges, eq. 16=$D/paper_c_legend_eq16_q500_500k.trials.csv" \
 "1997, Table 10's ranges, eq. 16=$D/paper_c_legend_eq16_q1000_500k.trials.csv" \
 --paper $D/paper_m_2ab_100.csv $D/paper_table3_qp.csv --out docs/paper/lags.png
