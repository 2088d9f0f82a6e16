// SPDX-License-Identifier: GPL-2.0-only
/*
 * A real, unmodified VFIO client on the test devices: QEMU's userspace
 * NVMe driver (qemu-io with an nvme:// URL) writes patterns to the
 * emulated NVMe disk through VFIO and reads them back, in two processes
 * one after the other (so the device is released and opened again).
 *
 * QEMU 7.2's emulated NVMe drops MSI-X interrupts of a queue created
 * before MSI-X was enabled, and qemu-io enables the controller first, so
 * qemu-io alone waits forever (shared/notes/vm.md).  That is the emulated
 * device's bug, not VFIO's: before each qemu-io we "prime" the controller
 * the other way round (MSI-X on, then CC.EN, admin queue, one Identify,
 * whose completion interrupt must arrive).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/pci_regs.h>

#include "kselftest_harness.h"
#include "vfio_util.h"

/* NVMe controller registers (BAR0) */
#define NVME_CAP_HI	0x04	/* upper half of CAP: DSTRD in bits 3:0 */
#define NVME_CC		0x14
#define NVME_CSTS	0x1c
#define NVME_AQA	0x24
#define NVME_ASQ	0x28
#define NVME_ACQ	0x30
#define NVME_SQ0TDBL	0x1000
#define NVME_CC_EN	0x1
#define NVME_CC_IOSQES	(6 << 16)	/* 64-byte submission entries */
#define NVME_CC_IOCQES	(4 << 20)	/* 16-byte completion entries */
#define NVME_CSTS_RDY	0x1
#define NVME_ADMIN_IDENTIFY	0x06

#define PRIME_IOVA	0x10000	/* SQ, CQ, identify data: a page each */

static int wait_ready(struct vfio_dev *d, bool ready)
{
	int i;

	for (i = 0; i < 2000; i++) {
		if (!!(edu_read32(d, NVME_CSTS) & NVME_CSTS_RDY) == ready)
			return 0;
		usleep(1000);
	}
	return -ETIMEDOUT;
}

/* Enables MSI-X before the controller and waits for one admin command's
 * interrupt; see the top of the file.  BAR0 accessors are vfio_util's.
 */
static int nvme_prime(const char *bdf)
{
	uint32_t *sqe, dstrd;
	struct vfio_dev d;
	uint8_t *mem;
	int efd, ret;

	mem = vfio_alloc(3 * 4096);
	if (!mem)
		return -ENOMEM;
	efd = eventfd(0, EFD_CLOEXEC);
	vfio_dev_init(&d, bdf);
	ret = vfio_dev_open(&d, bdf, VFIO_TYPE1_IOMMU);
	if (!ret)
		ret = edu_map_bar0(&d);
	if (!ret)
		ret = edu_enable(&d);
	if (!ret)
		ret = vfio_map_dma(d.container, mem, PRIME_IOVA, 3 * 4096,
				   VFIO_DMA_MAP_FLAG_READ |
				   VFIO_DMA_MAP_FLAG_WRITE);
	if (!ret)
		ret = efd < 0 ? -errno :
		      vfio_irq_set_eventfd(d.device, VFIO_PCI_MSIX_IRQ_INDEX,
					   efd);
	if (ret)
		goto out;

	edu_write32(&d, NVME_CC, 0);
	ret = wait_ready(&d, false);
	if (ret)
		goto out;
	edu_write32(&d, NVME_AQA, 15 | 15 << 16);
	edu_write64(&d, NVME_ASQ, PRIME_IOVA);
	edu_write64(&d, NVME_ACQ, PRIME_IOVA + 4096);
	edu_write32(&d, NVME_CC, NVME_CC_EN | NVME_CC_IOSQES | NVME_CC_IOCQES);
	ret = wait_ready(&d, true);
	if (ret)
		goto out;

	sqe = (uint32_t *)mem;
	sqe[0] = NVME_ADMIN_IDENTIFY | 1 << 16;	/* command id 1 */
	sqe[6] = PRIME_IOVA + 2 * 4096;		/* PRP1 */
	sqe[10] = 1;				/* CNS: the controller */
	edu_write32(&d, NVME_SQ0TDBL, 1);
	ret = vfio_eventfd_wait(efd, 5000);
	ret = ret == 1 ? 0 : ret ? ret : -ETIMEDOUT;
	dstrd = edu_read32(&d, NVME_CAP_HI) & 0xf;
	edu_write32(&d, NVME_SQ0TDBL + (4 << dstrd), 1);	/* CQ0 head */

out:
	vfio_dev_close(&d);
	if (efd >= 0)
		close(efd);
	vfio_free(mem, 3 * 4096);
	return ret;
}

/*
 * Runs qemu-io with the commands @cmds (NULL-terminated) on the NVMe's
 * namespace 1: its exit status, its output in @out.
 */
static int qemu_io(const char *bdf, const char *const *cmds, char *out,
		   size_t len)
{
	char cmd[1024];
	size_t n;
	FILE *p;
	int st;

	n = snprintf(cmd, sizeof(cmd), "timeout 60 qemu-io -f raw");
	for (; *cmds && n < sizeof(cmd); cmds++)
		n += snprintf(cmd + n, sizeof(cmd) - n, " -c '%s'", *cmds);
	if (n >= sizeof(cmd) ||
	    snprintf(cmd + n, sizeof(cmd) - n, " nvme://%s/1 2>&1", bdf) >=
	    (int)(sizeof(cmd) - n))
		return -E2BIG;

	p = popen(cmd, "r");
	if (!p)
		return -errno;
	n = 0;
	while (n < len - 1 && fgets(out + n, len - n, p))
		n += strlen(out + n);
	out[n] = 0;
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -EINTR;
}

static const char *const write_and_check[] = {
	"write -P 0xab 0 64k",
	"read -P 0xab 0 64k",
	"write -P 0x5c 1M 128k",
	"read -P 0x5c 1M 128k",
	NULL
};

static const char *const check_again[] = {
	"read -P 0xab 0 64k",
	"read -P 0x5c 1M 128k",
	NULL
};

TEST(qemu_io_nvme)
{
	const char *bdf = vfio_test_env("VFIO_NVME");
	char out[4096];

	if (!bdf)
		SKIP(return, "VFIO_NVME not set (not in the test VM)");
	if (system("command -v qemu-io >/dev/null 2>&1"))
		SKIP(return, "qemu-io not installed");

	ASSERT_EQ(0, nvme_prime(bdf));
	ASSERT_EQ(0, qemu_io(bdf, write_and_check, out, sizeof(out)))
		TH_LOG("%s", out);
	EXPECT_EQ(NULL, strstr(out, "verification failed")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "read 131072/131072 bytes"))
		TH_LOG("%s", out);

	/* A second process finds what the first one wrote. */
	ASSERT_EQ(0, nvme_prime(bdf));
	ASSERT_EQ(0, qemu_io(bdf, check_again, out, sizeof(out)))
		TH_LOG("%s", out);
	EXPECT_EQ(NULL, strstr(out, "verification failed")) TH_LOG("%s", out);
}

TEST_HARNESS_MAIN
